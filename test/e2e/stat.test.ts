import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { reasonField } from '../../src/cli/commands/stat.js';
import { EVENT_SPECS } from '../../src/domain/events/registry.js';
import { MODE_NAMES } from '../../src/engines/modes/registry.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

describe('vlab stat: the monitor’s events by reason, like perf kvm stat', () => {
  it('minios under trap-emulate: traps and emulations by reason, busiest first, then the total', async () => {
    const r = await vlab('stat', 'minios', '--mode', 'trap-emulate');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe([
      'minios, mode trap-emulate (isa classic):',
      '  10,015 monitor events of 174,758; 10,170,740 of 10,439,574 virtual cycles',
      '',
      'event         reason       count    share      cycles  cycles%  avg cycles',
      'emulate       trap         4,941   49.34%   1,067,292   10.22%         216',
      'trap          io           4,877   48.70%   8,846,878   84.74%       1,814',
      'trap          page-fault      58    0.58%     105,212    1.01%       1,814',
      'trap          privileged      57    0.57%     103,398    0.99%       1,814',
      'shadow-pt     fill            41    0.41%       8,856    0.08%         216',
      'trap          exception       18    0.18%      32,652    0.31%       1,814',
      'shadow-pt     invlpg          10    0.10%       2,160    0.02%         216',
      'shadow-pt     sync             7    0.07%       1,512    0.01%         216',
      'shadow-pt     flush            5    0.05%       2,780    0.03%         556',
      'world-switch  to-guest         1    0.01%           0    0.00%           0',
      'total                     10,015  100.00%  10,170,740   97.42%       1,016',
      '',
    ].join('\n'));
  });

  it('names VM exits as the SDM does and hypercalls as the ABI does, as compare does; --json keeps the number beside the name', async () => {
    const r = await vlab('stat', 'minios', '--mode', 'hardware-assist');
    expect(r.out.split('\n').slice(3, 8)).toEqual([
      'event      reason               count    share      cycles  cycles%  avg cycles',
      'vmentry    -                    5,099   33.34%  12,288,450   48.46%       2,410',
      'emulate    trap                 4,938   32.29%   1,066,860    4.21%         216',
      'vmexit     IO_INSTRUCTION       4,898   32.02%  11,201,726   44.17%       2,287',
      'vmexit     EXCEPTION_NMI          137    0.90%     313,319    1.24%       2,287',
    ]);
    const j = JSON.parse((await vlab('stat', 'minios', '--mode', 'hardware-assist', '--json')).out) as { runs: { rows: { type: string; reason: string; name: string }[] }[] };
    expect(j.runs[0]?.rows.find((row) => row.name === 'IO_INSTRUCTION')).toMatchObject({ type: 'vmexit', reason: '30' });
    expect(j.runs[0]?.rows.find((row) => row.type === 'shadow-pt')).toMatchObject({ reason: 'fill', name: 'fill' });
    const pv = await vlab('stat', 'minios-pv', '--mode', 'paravirt', '--json');
    const rows = (JSON.parse(pv.out) as { runs: { rows: { type: string; reason: string; name: string }[] }[] }).runs[0]?.rows ?? [];
    expect(rows.find((row) => row.type === 'hypercall' && row.reason === '8')?.name).toBe('console_io');
  });

  it('a trace gives the same table as its live run', async () => {
    const live = await vlab('stat', 'minios', '--mode', 'trap-emulate', '--isa', 'virtualizable', '--json');
    const trace = await vlab('stat', 'traces/minios-trap-emulate.vtrace', '--json');
    expect(JSON.parse(trace.out)).toEqual(JSON.parse(live.out));
  });

  it('--by mode: one table, a row per mode and reason, every registered mode by default', async () => {
    const r = await vlab('stat', 'hello', '--by', 'mode', '--json');
    const j = JSON.parse(r.out) as { runs: { mode: string; monitorEvents: number; rows: { type: string; reason: string; count: number }[] }[] };
    expect(j.runs.map((s) => s.mode)).toEqual(MODE_NAMES.filter((m) => m !== 'paravirt')); // hello has no paravirtualized build
    expect(j.runs.find((s) => s.mode === 'native')?.monitorEvents).toBe(0);
    expect(j.runs.find((s) => s.mode === 'trap-emulate')?.rows[0]).toMatchObject({ type: 'trap', reason: 'io', count: 18 });
    const text = await vlab('stat', 'hello', '--by', 'mode', '--mode', 'native,trap-emulate');
    expect(text.out.split('\n').slice(5)).toEqual([
      'mode          isa      event         reason    count    share  cycles  cycles%  avg cycles',
      'native        classic  total                       0        -       0    0.00%           -',
      'trap-emulate  classic  trap          io           18   48.65%  32,652   89.01%       1,814',
      'trap-emulate  classic  emulate       trap         18   48.65%   3,888   10.60%         216',
      'trap-emulate  classic  world-switch  to-guest      1    2.70%       0    0.00%           0',
      'trap-emulate  classic  total                      37  100.00%  36,540   99.61%         988',
      '',
    ]);
    expect((await vlab('stat', 'hello', '--by', 'isa')).code).toBe(2);
  });

  it('every monitor event spec has a reason-like field or counts under "-"', () => {
    for (const spec of EVENT_SPECS.filter((s) => s.family !== 'guest' && s.family !== 'run')) {
      const field = reasonField(spec);
      if (field !== undefined) expect(Object.keys(spec.fields)).toContain(field);
    }
  });
});

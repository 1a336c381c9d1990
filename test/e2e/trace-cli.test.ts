import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'vlab-trace-cli-'));

describe('vlab record, replay, inspect, diff', () => {
  it('record prints what run prints; replay prints it again from the trace alone', async () => {
    const trace = join(dir, 'hello.vtrace');
    const run = await vlab('run', 'hello', '--mode', 'trap-emulate');
    const recorded = await vlab('record', 'hello', '--mode', 'trap-emulate', '-o', trace);
    expect(recorded.out).toBe(run.out);
    const replayed = await vlab('replay', trace);
    expect(replayed.out).toBe(`${run.out}1 checkpoints verified (reexecuted)\n`);
    const events = join(dir, 'hello-events.vtrace');
    expect((await vlab('record', 'hello', '--mode', 'trap-emulate', '--events', '--checkpoint-every', '64', '-o', events)).out).toBe(run.out);
    expect((await vlab('replay', events)).out).toBe(`${run.out}3 checkpoints verified (folded)\n`);
    expect(await vlab('replay', events, '--reexec')).toEqual({ code: 0, out: `${events}: re-execution matches the trace, 147 events\n`, err: '' });
  });

  it('replay --cpu re-prices a recording under another CPU profile: the cycles a run on that CPU reports', async () => {
    const trace = join(dir, 'minios.vtrace');
    await vlab('record', 'minios', '--mode', 'trap-emulate', '--isa', 'virtualizable', '-o', trace);
    const repriced = JSON.parse((await vlab('replay', trace, '--cpu', 'core2-merom-2006', '--json')).out) as Record<string, unknown>;
    const run = JSON.parse((await vlab('run', 'minios', '--mode', 'trap-emulate', '--isa', 'virtualizable', '--cpu', 'core2-merom-2006', '--json')).out) as Record<string, unknown>;
    expect(repriced).toMatchObject({ cpu: 'core2-merom-2006', replay: 'repriced', cycles: run.cycles, cyclesByType: run.cyclesByType });
    expect(repriced.cycles).not.toBe(JSON.parse((await vlab('run', 'minios', '--mode', 'trap-emulate', '--isa', 'virtualizable', '--json')).out).cycles);
  });

  it('inspect lists events with disassembly, and the state at an event', async () => {
    const r = await vlab('inspect', 'traces/hello-native.vtrace', '--range', '2..3');
    expect(r.out).toBe('#2 insn 0x1008: ldb r0, [r1] (4 cycles)  r0=0x48\n#3 insn 0x1010: cmp r0, 0 (1 cycles)  flags=0x0\n');
    const regenerated = await vlab('inspect', 'traces/minios-native.vtrace', '--range', '5000..5003', '--json');
    expect(regenerated.out.split('\n')).toHaveLength(5);
    expect(regenerated.out).toBe((await vlab('inspect', 'traces/minios-native-events.vtrace', '--range', '5000..5003', '--json')).out);
    const at = await vlab('inspect', 'traces/hello-native.vtrace', '--at', '6', '--json'); // #5 retires the out, #6 is its io event
    expect(JSON.parse(at.out)).toMatchObject({ events: 7, vm: { retired: 5, console: { length: 1, tail: 'H' } } });
    expect((await vlab('inspect', 'traces/hello-native.vtrace', '--type', 'bogus')).err).toMatch(/^vlab: unknown event type 'bogus' \(valid: insn, exception/);
  });

  it('diff: exit 0 for equal guest views, 1 and the first divergence otherwise', async () => {
    const same = await vlab('diff', 'traces/minios-native.vtrace', 'traces/minios-trap-emulate.vtrace');
    expect([same.code, same.out.split('\n')[0]]).toEqual([0, 'the guest views are equal']);
    const differ = await vlab('diff', 'minios', '--modes', 'native,trap-emulate');
    expect(differ.code).toBe(1);
    expect(differ.out.split('\n').slice(0, 4)).toEqual([
      'first guest-visible divergence at guest step 4: event #5 of native (classic), event #6 of trap-emulate (classic)',
      '  native (classic): #5 insn 0x11f8: pushf (60 cycles)  memory32[0x8fff4]=0x0 sp=0x8fff4',
      '  trap-emulate (classic): #6 insn 0x11f8: pushf (60 cycles)  memory32[0x8fff4]=0x200 sp=0x8fff4',
      '  memory 0x8fff4: 0x0 vs 0x200',
    ]);
  });

  it('a damaged trace is one line naming chunk and byte; --salvage replays the prefix', async () => {
    const bytes = readFileSync('traces/minios-native.vtrace');
    const cut = join(dir, 'cut.vtrace');
    writeFileSync(cut, bytes.subarray(0, 40_000));
    const r = await vlab('replay', cut);
    expect(r.code).toBe(65);
    expect(r.err).toMatch(new RegExp(`^vlab: ${cut}: truncated: a chunk of \\d+ bytes does not fit in the \\d+ bytes left in chunk \\d+ at byte \\d+\\n$`));
    const salvaged = await vlab('replay', cut, '--salvage');
    expect(salvaged.code).toBe(0);
    expect(salvaged.err).toMatch(/^vlab: salvaged [\d,]+ events before the damage: /);
  });
});

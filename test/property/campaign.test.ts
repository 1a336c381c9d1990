import { describe, expect, it } from 'vitest';
import { campaignTable, runKind, type FuzzKind } from '../../src/campaign/campaign.js';
import { checkCli } from '../../src/campaign/cli-lines.js';
import { checkGuest, generatedConfig, guestText, nondeterminism } from '../../src/campaign/guests.js';
import { runToSummary } from '../../src/engines/summary.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SWEEP: Record<FuzzKind, number> = { guests: 30, asm: 150, traces: 80, cli: 30 };

describe(`campaign sweep, seed ${SEED} (set FUZZ_SEED to replay)`, () => {
  for (const [kind, count] of Object.entries(SWEEP) as [FuzzKind, number][]) {
    it(`${kind}: ${count} cases, every one clean`, async () => {
      const report = await runKind(kind, { seed: SEED, count, shard: { index: 1, count: 1 } });
      expect(report.tried, campaignTable([report])).toBe(count);
      expect(report.failures, campaignTable([report])).toEqual([]);
    }, 60_000);
  }
});

describe('memory over bound', () => {
  it('a case that leaves its runner holding more heap than the bound is a failure of its own class', async () => {
    const report = await runKind('asm', { seed: SEED, count: 2, shard: { index: 1, count: 1 }, memoryBoundBytes: 1 });
    expect(report.failures.map((f) => f.failure)).toEqual(['memory over bound', 'memory over bound']);
  });
});

describe('generated guests', () => {
  it('an exception gate steps over the instruction it returns to: a fault does not retry for ever, and `int n` skips the line after it', () => {
    const s = runToSummary(generatedConfig(guestText(['div r0, r1', 'mov r5, 9', 'int 3', 'mov r4, 1']), 'native', 'classic', 5_000) as never);
    expect([s.endReason, s.guestInsns, s.countsByType.exception]).toEqual(['exit', 16, 2]);
  });

  it('a run made again with another result is nondeterminism; made again equal, it is clean', () => {
    const config = generatedConfig(guestText(['mov r1, 0x40', 'out 0x40, r1', 'sti', 'hlt']), 'trap-emulate', 'classic', 5_000);
    if (config === undefined) throw new Error('the guest does not assemble');
    const summary = runToSummary(config);
    expect(nondeterminism({ config, summary })).toEqual({});
    expect(nondeterminism({ config, summary: { ...summary, cycles: summary.cycles + 1 } }).failure).toBe('nondeterminism');
  });
});

describe('campaign regressions: each class found once, kept', () => {
  it('a timer of period 2^32 - 1 waking hlt ends by the budget in every mode (was a hang)', () => {
    expect(checkGuest(['mov r1, 0xffffffff', 'out 0x40, r1', 'sti', 'w: hlt', 'jmp w'])).toEqual({});
  });

  it('hostile command lines: option values that are Object members, endless devices (were stack traces)', async () => {
    for (const argv of [['run', 'hello', '--cpu', '__proto__'], ['run', '/dev/zero'], ['run', 'hello', '--disk', '/dev/zero'], ['record', 'hello', '-o', '/dev/null']]) {
      expect(await checkCli(argv), argv.join(' ')).toEqual({});
    }
  });
});

import { describe, expect, it } from 'vitest';
import { campaignTable, runKind, type FuzzKind } from '../../src/campaign/campaign.js';
import { checkCli } from '../../src/campaign/cli-lines.js';
import { checkGuest } from '../../src/campaign/guests.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SWEEP: Record<FuzzKind, number> = { guests: 6, asm: 150, traces: 80, cli: 30 };

describe(`campaign sweep, seed ${SEED} (set FUZZ_SEED to replay)`, () => {
  for (const [kind, count] of Object.entries(SWEEP) as [FuzzKind, number][]) {
    it(`${kind}: ${count} cases, every one clean`, async () => {
      const report = await runKind(kind, { seed: SEED, count, shard: { index: 1, count: 1 } });
      expect(report.tried, campaignTable([report])).toBe(count);
      expect(report.failures, campaignTable([report])).toEqual([]);
    }, 60_000);
  }
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

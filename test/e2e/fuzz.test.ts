import { describe, expect, it } from 'vitest';
import { joinReports, runKind } from '../../src/campaign/campaign.js';
import { main } from '../../src/cli/main.js';
import { EXIT } from '../../src/cli/exit-codes.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

describe('vlab fuzz --shard i/n: numbered from 1, as vlab sweep --shard', () => {
  it('shards 1/2 and 2/2 together are the whole run, case for case', async () => {
    const whole = await runKind('asm', { seed: 3, count: 9, shard: { index: 1, count: 1 } });
    const parts = await Promise.all([1, 2].map((index) => runKind('asm', { seed: 3, count: 9, shard: { index, count: 2 } })));
    expect(parts.map((p) => p.tried)).toEqual([5, 4]);
    expect(joinReports('asm', parts)).toEqual(whole);
    expect((await vlab('fuzz', 'asm', '--count', '9', '--seed', '3', '--shard', '2/2')).out).toContain('│ asm  │ 4     │ 4     │');
  });

  it('0/n and other bad shards are one line and the usage status', async () => {
    expect(await vlab('fuzz', 'asm', '--shard', '0/2')).toEqual({ code: EXIT.USAGE, out: '', err: "vlab: --shard needs i/n with 1 ≤ i ≤ n (e.g. 1/4), got '0/2': shards are numbered from 1\n" });
    expect((await vlab('fuzz', 'asm', '--shard', '3/2')).err).toBe("vlab: --shard needs i/n with 1 ≤ i ≤ n (e.g. 1/4), got '3/2'\n");
  });
});

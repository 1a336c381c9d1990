import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

/** Small: two named guests, two generated ones, four modes; a few seconds. */
const GRID = ['--guests', 'hello,syscall', '-D', 'N=20', '--generated', '2', '--seeds', '7', '--modes', 'native,trap-emulate,binary-translation,hardware-assist', '--isa', 'classic'];
const dir = mkdtempSync(join(tmpdir(), 'vlab-sweep-'));
const file = (name: string): string => join(dir, name);
const read = (name: string): string => readFileSync(file(name), 'utf8');

describe('vlab sweep and vlab merge', () => {
  it('--shard 1/2 and 2/2 merged equal the unsharded sweep byte for byte; a re-run shard is byte-identical', async () => {
    expect((await vlab('sweep', ...GRID, '-o', file('all.jsonl'))).code).toBe(EXIT.OK);
    expect((await vlab('sweep', ...GRID, '--shard', '1/2', '-o', file('s1.jsonl'))).code).toBe(EXIT.OK);
    const s2 = await vlab('sweep', ...GRID, '--shard', '2/2');
    expect(s2.code).toBe(EXIT.OK);
    expect(s2.err).toBe('');
    writeFileSync(file('s2.jsonl'), s2.out);
    const merged = await vlab('merge', file('s2.jsonl'), file('s1.jsonl'), '-o', file('merged.jsonl'));
    expect(merged.code).toBe(EXIT.OK);
    expect(read('merged.jsonl')).toBe(read('all.jsonl'));
    expect((await vlab('sweep', ...GRID, '--shard', '1/2', '-o', file('s1-again.jsonl'))).code).toBe(EXIT.OK);
    expect(read('s1-again.jsonl')).toBe(read('s1.jsonl'));

    const lines = read('all.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ sweep: 1, cells: 16, shard: '1/1' });
    expect(lines.slice(1).map((l) => l.cell)).toEqual([...Array(16).keys()]);
    expect(lines[1]).toMatchObject({ cell: 0, guest: 'hello', mode: 'native', cpu: 'p4-prescott-2005', isa: 'classic', seed: 0, endReason: 'exit', exitCode: 0, sameAsNative: true, cyclesVsNative: 1 });
    expect(lines[2]).toMatchObject({ guest: 'hello', mode: 'trap-emulate', sameAsNative: true, expectedSame: false });
    expect(lines.filter((l) => l.guest === 'generated:1' && l.seed === 7)).toHaveLength(4);
    const shard1 = read('s1.jsonl').trimEnd().split('\n').slice(1).map((l) => (JSON.parse(l) as { cell: number }).cell);
    expect(shard1).toEqual([0, 2, 4, 6, 8, 10, 12, 14]);
  });

  it('merge prints a summary per mode × cpu × isa, and --json the same rows', async () => {
    const table = await vlab('merge', file('s1.jsonl'), file('s2.jsonl'));
    expect(table.out.split('\n')[0]).toMatch(/^mode +cpu +isa +cells +same view +bugs +cycles +slowdown$/);
    expect(table.out).toMatch(/^native +p4-prescott-2005 +classic +4 +4 +0 +[\d,]+ +1\.00x$/m);
    for (const line of table.out.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    const json = JSON.parse((await vlab('merge', file('s1.jsonl'), file('s2.jsonl'), '--json')).out) as { cells: number; rows: { mode: string; cells: number; meanSlowdown: number }[] };
    expect(json.cells).toBe(16);
    expect(json.rows.map((r) => [r.mode, r.cells])).toEqual([['native', 4], ['trap-emulate', 4], ['binary-translation', 4], ['hardware-assist', 4]]);
    expect(json.rows[0]?.meanSlowdown).toBe(1);
  });

  it('bad --shard values are one line and the usage status', async () => {
    for (const shard of ['0/2', '3/2', 'a/b', '1/0', '2']) {
      const r = await vlab('sweep', ...GRID, '--shard', shard);
      expect(r.code).toBe(EXIT.USAGE);
      expect(r.out).toBe('');
      expect(r.err).toBe(`vlab: --shard needs i/n with 1 ≤ i ≤ n (e.g. 1/4), got '${shard}'${shard === '0/2' ? ': shards are numbered from 1' : ''}\n`);
    }
  });

  it('merge refuses a missing cell, a duplicate, a shard of another sweep and a line that is not its cell: one line, status 65', async () => {
    const missing = await vlab('merge', file('s1.jsonl'));
    expect(missing.code).toBe(EXIT.DATAERR);
    expect(missing.err).toBe("vlab: merge: 8 of 16 cells missing, the first cell 1 (hello × trap-emulate × p4-prescott-2005 × classic × seed 0); shards read: 1/2\n");
    const duplicate = await vlab('merge', file('s1.jsonl'), file('s2.jsonl'), file('s1-again.jsonl'));
    expect(duplicate.code).toBe(EXIT.DATAERR);
    expect(duplicate.err).toBe(`vlab: ${file('s1-again.jsonl')}:2: cell 0 (hello × native × p4-prescott-2005 × classic × seed 0) again: ${file('s1.jsonl')}:2 has it already\n`);
    expect((await vlab('sweep', ...GRID, '--isa', 'virtualizable', '--shard', '2/2', '-o', file('other.jsonl'))).code).toBe(EXIT.OK);
    const other = await vlab('merge', file('s1.jsonl'), file('other.jsonl'));
    expect(other.code).toBe(EXIT.DATAERR);
    expect(other.err).toBe(`vlab: ${file('other.jsonl')}:1: a shard of another sweep than ${file('s1.jsonl')}'s (vlab, grid or cells differ)\n`);
    writeFileSync(file('moved.jsonl'), read('s2.jsonl').replace('"cell":1,', '"cell":3,'));
    const moved = await vlab('merge', file('s1.jsonl'), file('moved.jsonl'));
    expect(moved.code).toBe(EXIT.DATAERR);
    expect(moved.err).toBe(`vlab: ${file('moved.jsonl')}:2: cell 3 is hello × hardware-assist × p4-prescott-2005 × classic × seed 0 in the grid, the line says hello × trap-emulate × p4-prescott-2005 × classic × seed 0\n`);
  });

  it('a damaged header, a grid too large, too many threads: one line each', async () => {
    writeFileSync(file('foreign.jsonl'), read('s1.jsonl').replace('"modes":["native"', '"modes":["nope"'));
    const foreign = await vlab('merge', file('foreign.jsonl'));
    expect(foreign.code).toBe(EXIT.DATAERR);
    expect(foreign.err).toMatch(/^vlab: \S+foreign\.jsonl:1: the header's grid: unknown mode 'nope' \(valid: [^\n]+\)\n$/);
    const huge = await vlab('sweep', '--generated', '99999999999999');
    expect(huge.code).toBe(EXIT.USAGE);
    expect(huge.err).toBe('vlab: sweep: the grid has 699,999,999,999,993 cells, more than the 10,000,000 a sweep takes\n');
    const jobs = await vlab('sweep', '--jobs', '0');
    expect([jobs.code, jobs.err]).toEqual([EXIT.USAGE, "vlab: --jobs needs 1 to 256, got '0'\n"]);
  });

  it('a JSON grid file gives the sweep its flags give', async () => {
    writeFileSync(file('grid.json'), JSON.stringify({ guests: ['hello', 'syscall'], define: ['N=20'], generated: 2, seeds: [7], modes: ['native', 'trap-emulate', 'binary-translation', 'hardware-assist'], isa: ['classic'] }));
    const r = await vlab('sweep', '--grid', file('grid.json'), '--shard', '2/2');
    expect(r.code).toBe(EXIT.OK);
    expect(r.out).toBe(read('s2.jsonl'));
    writeFileSync(file('bad-grid.json'), JSON.stringify({ guest: ['hello'] }));
    const bad = await vlab('sweep', '--grid', file('bad-grid.json'));
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.err).toBe(`vlab: grid file '${file('bad-grid.json')}': unknown key 'guest' (valid: guests, generated, seeds, cpus, isa, modes, maxInsns, define)\n`);
    const unknown = await vlab('sweep', '--guests', 'nope');
    expect(unknown.code).toBe(EXIT.NOINPUT);
    expect(unknown.err).toMatch(/^vlab: unknown guest 'nope': not a file, and not one of: [^\n]+\n$/);
  });

  it.skipIf(!existsSync('dist/src/sweep/worker.js'))('the built CLI on two worker threads writes what one thread writes, byte for byte', () => {
    const out = execFileSync(process.execPath, ['bin/vlab.js', 'sweep', ...GRID, '--jobs', '2'], { encoding: 'utf8' });
    expect(out).toBe(read('all.jsonl'));
  });
});

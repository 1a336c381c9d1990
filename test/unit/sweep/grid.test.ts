import { describe, expect, it } from 'vitest';
import { DEFAULT_GRID, cellKey, cellsOf, skippedPairs, type Grid } from '../../../src/sweep/grid.js';
import { inShard, parseShard } from '../../../src/sweep/shard.js';

const grid = (over: Partial<Grid>): Grid => ({ ...DEFAULT_GRID, modes: ['native', 'paravirt', 'hybrid'], ...over });

describe('the grid of a sweep', () => {
  it('orders cells guest, seed, cpu, isa, mode; a modified-guest mode runs the guest\'s own build, or is left out', () => {
    const cells = cellsOf(grid({ guests: ['minios', 'hello'], isa: ['classic', 'virtualizable'] }));
    expect(cells.map((c) => `${c.index} ${cellKey(c)}${c.build === undefined ? '' : ` (${c.build})`}`)).toEqual([
      '0 minios × native × p4-prescott-2005 × classic × seed 0',
      '1 minios × paravirt × p4-prescott-2005 × classic × seed 0 (minios-pv)',
      '2 minios × hybrid × p4-prescott-2005 × classic × seed 0 (minios-pvdrivers)',
      '3 minios × native × p4-prescott-2005 × virtualizable × seed 0',
      '4 minios × paravirt × p4-prescott-2005 × virtualizable × seed 0 (minios-pv)',
      '5 minios × hybrid × p4-prescott-2005 × virtualizable × seed 0 (minios-pvdrivers)',
      '6 hello × native × p4-prescott-2005 × classic × seed 0',
      '7 hello × hybrid × p4-prescott-2005 × classic × seed 0',
      '8 hello × native × p4-prescott-2005 × virtualizable × seed 0',
      '9 hello × hybrid × p4-prescott-2005 × virtualizable × seed 0',
    ]);
    expect(skippedPairs(grid({ guests: ['minios', 'hello'] }))).toEqual(['paravirt × hello']);
  });

  it('generated guests come after the named ones, once per seed', () => {
    const cells = cellsOf(grid({ guests: ['hello'], generated: 2, seeds: [5, 9], modes: ['native'] }));
    expect(cells.map((c) => `${c.guest} ${c.seed}`)).toEqual(['hello 0', 'generated:0 5', 'generated:1 5', 'generated:0 9', 'generated:1 9']);
  });

  it('--shard i/n is 1-based; the n shards take every cell exactly once, round robin', () => {
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
    for (const bad of ['0/2', '3/2', 'a/b', '1/0', '-1/2', '1/2/3', '']) expect(() => parseShard(bad)).toThrow(/--shard needs i\/n/);
    for (const n of [1, 2, 3, 7]) {
      const shards = Array.from({ length: n }, (_, i) => parseShard(`${i + 1}/${n}`));
      for (let cell = 0; cell < 50; cell++) expect(shards.filter((s) => inShard(cell, s))).toHaveLength(1);
      expect([...Array(10).keys()].filter((c) => inShard(c, shards[0] as never))).toEqual([...Array(10).keys()].filter((c) => c % n === 0));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { InOrder } from '../../../src/sweep/pool.js';

describe('lines in cell order', () => {
  it('a line that finishes early waits for every line before it', () => {
    const out: string[] = [];
    const order = new InOrder([1, 4, 6, 9], (line) => out.push(line));
    order.add(6, 'c');
    order.add(9, 'd');
    expect(out).toEqual([]);
    order.add(1, 'a');
    expect(out).toEqual(['a']);
    order.add(4, 'b');
    expect(out).toEqual(['a', 'b', 'c', 'd']);
    expect(order.done).toBe(4);
  });
});

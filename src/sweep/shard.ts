import { VlabError } from '../domain/errors.js';

/** Shard i of n (1-based, as batch engines number their tasks): the cells (or campaign cases) whose index ≡ i − 1 (mod n). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = m === null ? [NaN, NaN] : [Number(m[1]), Number(m[2])];
  if (!(Number.isSafeInteger(count) && count >= 1 && index >= 1 && index <= count)) {
    const hint = index === 0 && count >= 1 ? ': shards are numbered from 1' : '';
    throw new VlabError('E_USAGE', `--shard needs i/n with 1 ≤ i ≤ n (e.g. 1/4), got '${text}'${hint}`);
  }
  return { index, count };
}

export const shardText = (s: Shard): string => `${s.index}/${s.count}`;

/** Round robin: shard i takes cells i − 1, i − 1 + n, …, so every shard gets a share of every guest and mode. */
export const inShard = (cell: number, s: Shard): boolean => cell % s.count === s.index - 1;

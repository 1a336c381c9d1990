import { describe, expect, it } from 'vitest';
import { TC_BLOCKS } from '../../../src/engines/bt/cache.js';
import { assembleSource, configFor, record } from '../../helpers/run.js';

describe('the translation cache has a size limit', () => {
  it('one block past it flushes the whole cache as one event, and translation goes on', () => {
    const blocks = TC_BLOCKS + 10;
    const chain = Array.from({ length: blocks }, (_, i) => `b${i}:     jmp b${i + 1}`).join('\n');
    const image = assembleSource(`        .entry  b0\n${chain}\nb${blocks}:     mov r0, 0\n        out 0xf4, r0\n`);
    const run = record(configFor(image, 'binary-translation', 'classic', 100_000));
    const events = run.batches.flatMap((b) => [...b]);
    expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'exit' });
    const flushes = events.filter((e) => e.type === 'tc-invalidate' && e.reason === 'flush');
    expect(flushes).toEqual([expect.objectContaining({ count: TC_BLOCKS })]);
    expect(events.filter((e) => e.type === 'translate')).toHaveLength(blocks + 1);
    expect(run.state.vms[0]?.tc.keys.length).toBe(blocks + 1 - TC_BLOCKS);
  });
});

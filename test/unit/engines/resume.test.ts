import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../../src/domain/evolve.js';
import { Machine, initialState } from '../../../src/domain/state/machine.js';
import { stateHash } from '../../../src/domain/state/state-hash.js';
import { MODES } from '../../../src/engines/modes/registry.js';
import { TraceReader } from '../../../src/replay/reader.js';
import { recordRun } from '../../../src/replay/record.js';
import { seek } from '../../../src/replay/seek.js';
import { assembleSource, configFor, record } from '../../helpers/run.js';

// A run resumed from a checkpoint taken while the guest's paging is on must translate as
// the run that wrote it did: hardware-assist without EPT resumed on its own empty TLB, not
// on the shadow table in the state, and took a hidden page fault (an exit) per page.
const PAGED_LOOP = `
        mov     sp, 0x80000
        mov     r0, 0
        mov     r1, 0x101000
map:    mov     r2, r0
        or      r2, 7
        st      [r1], r2
        add     r1, 4
        add     r0, 4096
        cmp     r0, 0x80000
        jb      map
        mov     r0, 0x200007
        st      [0x101800], r0
        mov     r0, 0x201007
        st      [0x101804], r0
        mov     r0, 0x101007
        st      [0x100000], r0
        mov     r0, 0x100000
        mov     cr3, r0
        mov     r0, 0x80000001
        mov     cr0, r0
        mov     r5, 12
loop:   ld      r1, [0x200000]
        add     r1, r5
        st      [0x201000], r1
        push    r1
        pop     r1
        sub     r5, 1
        jnz     loop
        mov     r0, 0
        out     0xf4, r0
`;

describe('a run resumed from a checkpoint with paging on', () => {
  const cells = MODES.filter((m) => !m.modifiedGuest).flatMap((m) => [undefined, ...(m.variants ?? [])].map((v) => ({ mode: m.name, vmcs: v?.config.vmcs })));
  it.each(cells)('$mode $vmcs: seeking to every event of an inputs trace equals folding the live events', ({ mode, vmcs }) => {
    const config = { ...configFor(assembleSource(PAGED_LOOP), mode, 'virtualizable'), ...(vmcs === undefined ? {} : { vmcs }) };
    const live = record(config);
    const path = join(mkdtempSync(join(tmpdir(), 'vlab-resume-')), 'paged.vtrace');
    recordRun(config, path, { checkpointEvery: 64, events: false });
    const reader = new TraceReader(path);
    const m = new Machine(initialState(config));
    const wrong: number[] = [];
    const from = live.state.seq - 120; // after paging went on
    for (const batch of live.batches) {
      for (let i = 0; i < batch.length; i++) {
        applyEvent(m, batch, i);
        if (m.seq >= from && m.seq % 3 === 0 && stateHash(seek(reader, m.seq).state) !== stateHash(m.seal())) wrong.push(m.seq);
      }
    }
    reader.close();
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});

import fc from 'fast-check';
import type { GuestProgram, Step } from '../harness/program.js';
import { codeWrite } from './code-writes.js';
import { interruptEvent } from './interrupts.js';
import { memoryEdge } from './memory-edges.js';
import { pageTableEdit } from './page-tables.js';
import { pagingSetup } from './paging.js';
import { ringRights } from './rings.js';
import { classicHole, sensitiveAtRing } from './sensitive.js';
import { softwareInterruptAtRing } from './soft-interrupts.js';

/** A family of generated programs: what its steps exercise. */
export interface Family {
  readonly name: string;
  readonly covers: string;
  readonly program: fc.Arbitrary<GuestProgram>;
}

const MAX_STEPS = 6;

/**
 * Programs of up to MAX_STEPS steps. Each step is optional so that shrinking can drop any
 * one of them (an array alone shrinks by dropping its head, which keeps unrelated
 * trailing steps in a counterexample).
 */
export const programOf = (steps: fc.Arbitrary<Step>, paging: 'sometimes' | 'always'): fc.Arbitrary<GuestProgram> =>
  fc.record({
    paging: pagingSetup(paging),
    steps: fc
      .array(fc.option(steps, { nil: undefined, freq: 8 }), { minLength: 1, maxLength: MAX_STEPS })
      .map((kept) => kept.filter((s): s is Step => s !== undefined)),
  });

export const rings: Family = {
  name: 'rings',
  covers: 'code at CPL 0–3 with exactly that ring’s rights: U/S pages, privileged and IOPL instructions, ring changes',
  program: programOf(ringRights, 'sometimes'),
};

export const memoryEdges: Family = {
  name: 'memory edges',
  covers: 'loads, stores and fetches at and beyond the end of RAM and of mapped pages, straddling page boundaries',
  program: programOf(memoryEdge, 'sometimes'),
};

export const livePageTables: Family = {
  name: 'live page tables',
  covers: 'the kernel rewriting live PTEs and PDEs, also right after the VMM wrote guest memory, with or without invlpg',
  program: programOf(pageTableEdit, 'always'),
};

export const softwareInterrupts: Family = {
  name: 'software interrupts',
  covers: 'int n on exception vectors (no error code) and on gates of every DPL',
  program: programOf(softwareInterruptAtRing, 'sometimes'),
};

export const interrupts: Family = {
  name: 'interrupts',
  covers: 'timer interrupts while halted, at rings 1–3, held off by cli or the PIC mask, with EOI or not',
  program: programOf(interruptEvent, 'sometimes'),
};

export const sensitiveInstructions: Family = {
  name: 'sensitive instructions',
  covers: 'every sensitive instruction at every ring (rdtsc only where CR4.TSD makes it fault)',
  program: programOf(sensitiveAtRing, 'sometimes'),
};

export const codeWrites: Family = {
  name: 'code writes',
  covers: 'self-modifying kernel code (whole instructions and opcode bytes) and code pages remapped by the kernel’s own PTE writes',
  program: programOf(codeWrite, 'sometimes'),
};

export const mixed: Family = {
  name: 'mixed',
  covers: 'steps of every family in one program',
  program: programOf(fc.oneof(ringRights, memoryEdge, pageTableEdit, softwareInterruptAtRing, interruptEvent, sensitiveAtRing, codeWrite), 'sometimes'),
};

/** Programs whose every step uses a hole of the classic profile, for cells expected to diverge. */
export const classicHoles: Family = {
  name: 'classic holes',
  covers: 'pushf, popf, sgdt, sidt, smsw, mov r, cs at CPL 0 and iret to ring 3 with IF set',
  program: programOf(classicHole, 'sometimes'),
};

export const FAMILIES: readonly Family[] = [rings, memoryEdges, livePageTables, softwareInterrupts, interrupts, sensitiveInstructions, codeWrites, mixed];

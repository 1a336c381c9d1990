import { defineEvent, oneOf, u32 } from './spec.js';
import { hex } from './text.js';

/** Why translated code called out to the VMM (engines/bt/translator.ts). */
export const CALLOUT_REASONS = ['privileged', 'io', 'control-register', 'interrupt', 'halt', 'user-sensitive', 'page-table-write'] as const;
export type CalloutReason = (typeof CALLOUT_REASONS)[number];

/** A translation cache entry (the VM's `tc` field, by guest pc): the guest code's frame number and the block's length. */
export const tcEntry = (frame: number, length: number): number => ((frame << 8) | length) >>> 0;
export const tcFrame = (entry: number): number => entry >>> 8;
export const tcLength = (entry: number): number => entry & 0xff;

/** The VM's `tcFaults` entry of an instruction retranslated into a callout (adaptive translation). */
export const ADAPTED = 0x8000_0000;

export const translate = defineEvent({
  type: 'translate',
  code: 10,
  family: 'bt',
  doc: 'a guest basic block translated into the translation cache',
  fields: { pc: u32, length: u32, inline: u32, callout: u32, frame: u32 },
  accounting: 'none',
  text: (e) => `block ${hex(e.pc)}: ${e.length} instructions, ${e.length - e.inline - e.callout} ident, ${e.inline} inline, ${e.callout} callout`,
  charge: (e, add) => add('translate', e.length),
});

export const tcHit = defineEvent({
  type: 'tc-hit',
  code: 11,
  family: 'bt',
  doc: 'an indirect control transfer found its target in the translation cache',
  fields: { pc: u32 },
  accounting: 'none',
  text: (e) => `${hex(e.pc)}`,
  charge: (_e, add) => add('tcLookup'),
});

export const tcInvalidate = defineEvent({
  type: 'tc-invalidate',
  code: 12,
  family: 'bt',
  doc: 'translations dropped: their guest code page was written, or the cache was full',
  fields: { reason: oneOf(['write', 'flush']), page: u32, count: u32 },
  accounting: 'none',
  text: (e) => (e.reason === 'flush' ? `flush: ${e.count} blocks` : `write page ${hex(e.page)}: ${e.count} blocks`),
  charge: (_e, add) => add('vmmWork'),
});

export const callout = defineEvent({
  type: 'callout',
  code: 13,
  family: 'bt',
  doc: 'translated code called out to the VMM for an instruction it does not inline',
  fields: { pc: u32, word: u32, reason: oneOf(CALLOUT_REASONS) },
  accounting: 'none',
  text: (e) => `${hex(e.pc)} ${e.reason}`,
  charge: (_e, add) => add('callout'),
});

export const BT_EVENTS = [translate, tcHit, tcInvalidate, callout] as const;

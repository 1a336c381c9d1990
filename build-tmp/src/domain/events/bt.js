import { defineEvent, oneOf, u32 } from './spec.js';
import { hex } from './text.js';
export const translate = defineEvent({
    type: 'translate',
    code: 10,
    family: 'bt',
    doc: 'a guest basic block translated into the translation cache',
    fields: { pc: u32, length: u32, inline: u32, callout: u32 },
    accounting: 'none',
    text: (e) => `block ${hex(e.pc)}: ${e.length} instructions, ${e.length - e.inline - e.callout} ident, ${e.inline} inline, ${e.callout} callout`,
    guest: () => undefined,
    charge: () => undefined,
});
export const tcHit = defineEvent({
    type: 'tc-hit',
    code: 11,
    family: 'bt',
    doc: 'an indirect control transfer found its target in the translation cache',
    fields: { pc: u32 },
    accounting: 'none',
    text: (e) => `${hex(e.pc)}`,
    guest: () => undefined,
    charge: () => undefined,
});
export const tcInvalidate = defineEvent({
    type: 'tc-invalidate',
    code: 12,
    family: 'bt',
    doc: 'translations dropped: their guest code page was written, or the cache was full',
    fields: { reason: oneOf(['write', 'flush']), page: u32, count: u32 },
    accounting: 'none',
    text: (e) => `${e.reason} page ${hex(e.page)}: ${e.count} blocks`,
    guest: () => undefined,
    charge: () => undefined,
});
export const callout = defineEvent({
    type: 'callout',
    code: 13,
    family: 'bt',
    doc: 'translated code called out to the VMM for an instruction it does not inline',
    fields: { pc: u32, word: u32 },
    accounting: 'none',
    text: (e) => `${hex(e.pc)}`,
    guest: () => undefined,
    charge: () => undefined,
});
export const BT_EVENTS = [translate, tcHit, tcInvalidate, callout];

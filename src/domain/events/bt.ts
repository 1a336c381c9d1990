import type { EventBase } from './base.js';

/** A guest basic block translated into the translation cache. */
export interface TranslateEvent extends EventBase {
  readonly type: 'translate';
  readonly pc: number;
  readonly length: number; // guest instructions in the block
  readonly rewritten: number; // of which sensitive, rewritten to inline code or callouts
}

/** An indirect branch or block entry found its target in the translation cache. */
export interface TcHitEvent extends EventBase {
  readonly type: 'tc-hit';
  readonly pc: number;
}

/** Translations dropped because their guest code page was written (self-modifying code). */
export interface TcInvalidateEvent extends EventBase {
  readonly type: 'tc-invalidate';
  readonly page: number;
  readonly count: number;
}

/** Translated code called out to the VMM to emulate an instruction it could not inline. */
export interface CalloutEvent extends EventBase {
  readonly type: 'callout';
  readonly pc: number;
  readonly word: number;
}

export type BtEvent = TranslateEvent | TcHitEvent | TcInvalidateEvent | CalloutEvent;

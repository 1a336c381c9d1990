import type { RunConfig } from '../config.js';
import { defineEvent, extra, hash64, i32, oneOf, u32 } from './spec.js';

export const END_REASONS = ['exit', 'halt', 'deadlock', 'triple-fault', 'budget', 'error'] as const;
export type EndReason = (typeof END_REASONS)[number];

export const runStart = defineEvent({
  type: 'run-start',
  code: 19,
  family: 'run',
  doc: 'the run begins: its whole config',
  fields: { config: extra<RunConfig>() },
  accounting: 'none',
  text: (e) => `${e.config.mode} ${e.config.isa} ${e.config.guest}`,
  charge: () => undefined,
});

export const checkpoint = defineEvent({
  type: 'checkpoint',
  code: 20,
  family: 'run',
  doc: 'the state hash after event `index`, for replay to check against',
  fields: { index: u32, hash: hash64 },
  accounting: 'none',
  text: (e) => `after event ${e.index}: ${e.hash}`,
  charge: () => undefined,
});

export const runEnd = defineEvent({
  type: 'run-end',
  code: 21,
  family: 'run',
  doc: 'the run ends, and why',
  fields: { reason: oneOf(END_REASONS), exitCode: i32 },
  accounting: 'end',
  text: (e) => `${e.reason}${e.reason === 'exit' ? ` ${e.exitCode}` : ''}`,
  charge: () => undefined,
});

export const vmEnd = defineEvent({
  type: 'vm-end',
  code: 22,
  family: 'run',
  doc: 'one VM of several ends, and why; the run goes on with the others (docs/multi-vm.md)',
  fields: { reason: oneOf(END_REASONS), exitCode: i32 },
  accounting: 'vm-end',
  text: (e) => `${e.reason}${e.reason === 'exit' ? ` ${e.exitCode}` : ''}`,
  charge: () => undefined,
});

export const RUN_EVENTS = [runStart, checkpoint, runEnd, vmEnd] as const;

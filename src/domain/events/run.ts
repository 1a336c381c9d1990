import type { RunConfig } from '../config.js';
import type { EventBase } from './base.js';

export interface RunStartEvent extends EventBase {
  readonly type: 'run-start';
  readonly config: RunConfig;
}

/** The state hash after event `index`, for replay to check against. */
export interface CheckpointEvent extends EventBase {
  readonly type: 'checkpoint';
  readonly index: number;
  readonly hash: string;
}

export const END_REASONS = ['exit', 'halt', 'deadlock', 'triple-fault', 'budget', 'error'] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface RunEndEvent extends EventBase {
  readonly type: 'run-end';
  readonly reason: EndReason;
  readonly exitCode: number;
}

export type RunEvent = RunStartEvent | CheckpointEvent | RunEndEvent;

import type { Effect } from './effects.js';

export interface EventBase {
  readonly seq: number; // index of the event in its run, from 0
  readonly vm: number;
  readonly vcpu: number;
  readonly cost: number; // virtual cycles, from the CPU profile
  readonly effects: readonly Effect[];
}

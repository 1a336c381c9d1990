import type { EventBase } from './base.js';

export const TRAP_CAUSES = ['privileged', 'exception', 'page-fault', 'io', 'interrupt'] as const;
export type TrapCause = (typeof TRAP_CAUSES)[number];

/** Control passed from the deprivileged guest to the VMM (a hardware trap). */
export interface TrapEvent extends EventBase {
  readonly type: 'trap';
  readonly cause: TrapCause;
  readonly vector: number;
  readonly errorCode: number;
  readonly pc: number;
}

/** The VMM emulated one guest instruction on the virtual CPU; it retires that instruction. */
export interface EmulateEvent extends EventBase {
  readonly type: 'emulate';
  readonly pc: number;
  readonly word: number;
  readonly imm: number;
  readonly next: number; // pc after the instruction
}

export const SHADOW_OPS = ['fill', 'sync', 'flush', 'invlpg'] as const;
export type ShadowOp = (typeof SHADOW_OPS)[number];

/** Shadow page table maintenance: a fill on a hidden fault, a sync after a traced PTE write, a flush. */
export interface ShadowPtEvent extends EventBase {
  readonly type: 'shadow-pt';
  readonly op: ShadowOp;
  readonly vaddr: number;
  readonly paddr: number;
}

export const WORLD_SWITCH_DIRECTIONS = ['to-vmm', 'to-guest'] as const;

/** A switch between the host and the guest context (a hosted VMM's world switch). */
export interface WorldSwitchEvent extends EventBase {
  readonly type: 'world-switch';
  readonly direction: (typeof WORLD_SWITCH_DIRECTIONS)[number];
}

export type VmmEvent = TrapEvent | EmulateEvent | ShadowPtEvent | WorldSwitchEvent;

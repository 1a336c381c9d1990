import { COST_KEYS } from '../cost/keys.js';
import type { EndReason } from '../events/run.js';
import { PAGE_SIZE } from '../isa/arch.js';
import { counter, counts, optional, pages, registers, table, text, value, words, type EffectOp, type FieldKind, type FrozenOf, type LiveOf } from './fields.js';
import { VMCS_FIELD_NAMES } from './vmcs.js';
import { DEV_NAMES, DISK_BUFFER_WORDS, REG_NAMES, TLB_MODEL_ENTRIES } from './layout.js';

export interface RunOutcome {
  readonly reason: EndReason;
  readonly exitCode: number;
}

function describeOutcome(o: RunOutcome | undefined): string {
  return o === undefined ? '' : `${o.reason} ${o.exitCode}`;
}

/** What a VM has used of the one physical CPU, up to the start of its current slice (several VMs). */
export interface VmShare {
  readonly events: number;
  readonly cycles: number;
}
const NO_SHARE: VmShare = { events: 0, cycles: 0 };
const describeShare = (s: VmShare): string => `${s.events} events ${s.cycles} cycles`;

/** The hypervisor's scheduler (several VMs): the VM on the CPU, and the run's events, cycles and that VM's timer counts when its slice began. */
export interface Schedule {
  readonly vm: number;
  readonly seq: number;
  readonly cycles: number;
  readonly ticks: number;
}
export const FIRST_SLICE: Schedule = { vm: 0, seq: 0, cycles: 0, ticks: 0 };
const describeSchedule = (s: Schedule): string => `vm ${s.vm} since event ${s.seq} (${s.cycles} cycles, ${s.ticks} ticks)`;

/**
 * The machine state, declared once. A VM's fields, then the machine's own; hashing,
 * checkpoints, the state diff, `inspect`, evolve's effects and the guest view all derive
 * from these declarations. A new field (a VMCS, a translation cache…) is one line here.
 */
export const VM_SCHEMA = {
  cpu: registers(REG_NAMES, 'projected'), // the physical CPU while this VM runs
  vcpu: registers(REG_NAMES, 'projected'), // the VMM's virtual CPU (modes that deprivilege the guest)
  dev: registers(DEV_NAMES, 'guest'),
  diskBuffer: words(DISK_BUFFER_WORDS, 'guest'),
  memory: pages((i) => i.memoryBytes, (i, m) => i.segments.forEach((s) => m.writeBytes(s.addr, s.bytes)), 'guest'),
  disk: pages((i) => Math.max(PAGE_SIZE, Math.ceil(i.disk.length / PAGE_SIZE) * PAGE_SIZE), (i, m) => m.writeBytes(0, i.disk), 'guest'),
  shadow: table(1 << 20, 'vmm'), // shadow page table: virtual page number -> shadow entry
  traced: table(1 << 20, 'vmm'), // guest page-table pages the VMM write-protects: frame number -> 1 (paravirt: the page's pin count)
  tlbModel: words(TLB_MODEL_ENTRIES, 'vmm'), // the cost-only TLB: virtual page number + 1 by slot, 0 empty
  vmcs: registers(VMCS_FIELD_NAMES, 'vmm'), // hardware-assist: the VMCS (vmcs.ts), SDM Vol. 3C ch. 24
  ept: table(1 << 20, 'vmm'), // hardware-assist with EPT: guest-physical frame -> host-physical entry
  console: text('guest'),
  retired: counter('guest'), // guest instructions retired
  ticks: counter('guest'), // timer counts: retired instructions plus idle steps
  tc: table(2 ** 32, 'vmm'), // translation cache: guest pc -> code frame number << 8 | block length (binary translation; never flattened)
  tcFaults: table(2 ** 32, 'vmm'), // adaptive translation: kernel pc -> hidden page faults on traced page tables (bit 31: retranslated into a callout)
  ended: optional<RunOutcome | undefined>('guest', undefined, describeOutcome), // several VMs: how this VM ended (vm-end)
  share: optional<VmShare>('vmm', NO_SHARE, describeShare), // several VMs: events and cycles of this VM's slices that ended
} as const;


export const MACHINE_SCHEMA = {
  seq: counter('vmm'), // events applied
  cycles: counter('vmm'), // virtual cycles
  ledger: counts(COST_KEYS, 'vmm'), // events charged per cost key: cycles under any CPU profile
  outcome: value<RunOutcome | undefined>('guest', undefined, describeOutcome),
  schedule: optional<Schedule>('vmm', FIRST_SLICE, describeSchedule), // several VMs: the slice on the CPU (engines/hypervisor)
} as const;

type Schema = Readonly<Record<string, FieldKind<unknown, unknown>>>;
export type VmField = keyof typeof VM_SCHEMA;
export type MachineField = keyof typeof MACHINE_SCHEMA;

export type VmState = { readonly [K in VmField]: FrozenOf<(typeof VM_SCHEMA)[K]> };
export type LiveVmFields = { -readonly [K in VmField]: LiveOf<(typeof VM_SCHEMA)[K]> };

export interface MachineState {
  readonly vms: readonly VmState[];
  readonly seq: number;
  readonly cycles: number;
  readonly ledger: Float64Array;
  readonly outcome: RunOutcome | undefined;
  readonly schedule: Schedule;
}

export const vmFields = (): VmField[] => Object.keys(VM_SCHEMA) as VmField[];
export const machineFields = (): MachineField[] => Object.keys(MACHINE_SCHEMA) as MachineField[];

export function vmKind(field: VmField): FieldKind<unknown, unknown> {
  return (VM_SCHEMA as Schema)[field] as FieldKind<unknown, unknown>;
}

export function machineKind(field: MachineField): FieldKind<unknown, unknown> {
  return (MACHINE_SCHEMA as Schema)[field] as FieldKind<unknown, unknown>;
}

/** One kind of effect: a field of the event's VM and an operation on it. */
export interface EffectSpec {
  readonly code: number;
  readonly field: VmField;
  readonly name: string; // e.g. `memory.write32`
  readonly op: EffectOp<unknown>;
  readonly guestVisible: boolean;
}

/** Every effect kind, by code (from 1, in schema order): the columnar batch stores codes. */
export const EFFECTS: readonly EffectSpec[] = vmFields().flatMap((field) =>
  vmKind(field).ops.map((op) => ({ field, op, name: `${field}.${op.op}`, guestVisible: vmKind(field).visibility === 'guest' })),
).map((e, i) => ({ ...e, code: i + 1 }));

const byName = new Map(EFFECTS.map((e) => [e.name, e.code]));

/** The code of an effect by name, for emitters: `effectCode('cpu.set')`. */
export function effectCode(name: string): number {
  const code = byName.get(name);
  if (code === undefined) throw new RangeError(`no effect ${name}`);
  return code;
}

export function effectSpec(code: number): EffectSpec {
  const spec = EFFECTS[code - 1];
  if (spec === undefined) throw new RangeError(`unknown effect code ${code}`);
  return spec;
}

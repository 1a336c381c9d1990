import { createDraft, enableMapSet, finishDraft, freeze, type Draft } from 'immer';
import type { RunConfig } from '../config.js';
import type { EndReason } from '../events/run.js';
import { Reg, CPU_REGISTERS, DEVICE_REGISTERS, DISK_BUFFER_WORDS } from './layout.js';
import { CowMemory, emptyPageMap, type PageMap } from './memory.js';

export interface RunOutcome {
  readonly reason: EndReason;
  readonly exitCode: number;
}

/**
 * The whole machine at one point of a run, immutable: the physical CPU, the VMM's virtual
 * CPU and shadow page table, the devices, guest-physical memory and disk (copy-on-write
 * pages shared between versions), the console, and the counters of virtual time.
 */
export interface MachineState {
  readonly cpu: Readonly<Uint32Array>;
  readonly vcpu: Readonly<Uint32Array>;
  readonly dev: Readonly<Uint32Array>;
  readonly diskBuffer: Readonly<Uint32Array>;
  readonly memory: PageMap;
  readonly disk: PageMap;
  /** VMM-private: shadow page table (key: virtual page number) and traced guest page-table pages (key: TRACED | pfn). */
  readonly shadow: ReadonlyMap<number, number>;
  readonly console: string;
  readonly input: string;
  readonly seq: number; // events applied
  readonly retired: number; // guest instructions retired
  readonly ticks: number; // timer counts: retired instructions plus idle steps
  readonly cycles: number; // virtual cycles
  readonly outcome: RunOutcome | undefined;
}

export const TRACED = 0x1000_0000;

enableMapSet();

/** The transient, mutable working copy that `evolve` writes during a batch. */
export class Machine {
  cpu: Uint32Array;
  vcpu: Uint32Array;
  dev: Uint32Array;
  diskBuffer: Uint32Array;
  readonly memory: CowMemory;
  readonly disk: CowMemory;
  private shadowBase: ReadonlyMap<number, number>;
  private shadowDraft: Draft<Map<number, number>> | undefined;
  console: string;
  input: string;
  seq: number;
  retired: number;
  ticks: number;
  cycles: number;
  outcome: RunOutcome | undefined;

  constructor(state: MachineState) {
    this.cpu = state.cpu.slice();
    this.vcpu = state.vcpu.slice();
    this.dev = state.dev.slice();
    this.diskBuffer = state.diskBuffer.slice();
    this.memory = new CowMemory(state.memory);
    this.disk = new CowMemory(state.disk);
    this.shadowBase = state.shadow;
    this.console = state.console;
    this.input = state.input;
    this.seq = state.seq;
    this.retired = state.retired;
    this.ticks = state.ticks;
    this.cycles = state.cycles;
    this.outcome = state.outcome;
  }

  get shadow(): ReadonlyMap<number, number> {
    return this.shadowDraft ?? this.shadowBase;
  }

  /** The shadow map as an immer draft, opened on the first write since the last seal. */
  writableShadow(): Map<number, number> {
    this.shadowDraft ??= createDraft(this.shadowBase as Map<number, number>);
    return this.shadowDraft;
  }

  /** Ends a batch: the shadow draft becomes an immutable version that later batches share. */
  endBatch(): void {
    if (this.shadowDraft !== undefined) {
      this.shadowBase = finishDraft(this.shadowDraft);
      this.shadowDraft = undefined;
    }
  }

  /** An immutable snapshot; the machine stays usable and copies again on its next writes. */
  seal(): MachineState {
    this.endBatch();
    return {
      cpu: this.cpu.slice(),
      vcpu: this.vcpu.slice(),
      dev: this.dev.slice(),
      diskBuffer: this.diskBuffer.slice(),
      memory: this.memory.seal(),
      disk: this.disk.seal(),
      shadow: this.shadowBase,
      console: this.console,
      input: this.input,
      seq: this.seq,
      retired: this.retired,
      ticks: this.ticks,
      cycles: this.cycles,
      outcome: this.outcome,
    };
  }
}

/** Reset state of a bare-metal machine with the image loaded (DESIGN §2). */
export function initialState(config: Pick<RunConfig, 'image' | 'input' | 'disk' | 'memoryBytes'>): MachineState {
  const memory = new CowMemory(emptyPageMap(config.memoryBytes));
  for (const segment of config.image.segments) memory.writeBytes(segment.addr, segment.bytes);
  const disk = new CowMemory(emptyPageMap(roundUpToPage(config.disk.length)));
  disk.writeBytes(0, config.disk);
  const cpu = new Uint32Array(CPU_REGISTERS);
  cpu[Reg.PC] = config.image.entry;
  return {
    cpu,
    vcpu: new Uint32Array(CPU_REGISTERS),
    dev: new Uint32Array(DEVICE_REGISTERS),
    diskBuffer: new Uint32Array(DISK_BUFFER_WORDS),
    memory: memory.seal(),
    disk: disk.seal(),
    shadow: freeze(new Map<number, number>()),
    console: '',
    input: config.input,
    seq: 0,
    retired: 0,
    ticks: 0,
    cycles: 0,
    outcome: undefined,
  };
}

function roundUpToPage(bytes: number): number {
  return Math.max(4096, Math.ceil(bytes / 4096) * 4096);
}

import { DEFAULT_QUANTUM, MAX_VMS, vmConfigs, type RunConfig } from '../../domain/config.js';
import { VlabError } from '../../domain/errors.js';
import { runEnd, vmEnd } from '../../domain/events/run.js';
import { worldSwitch } from '../../domain/events/vmm.js';
import type { Machine } from '../../domain/state/machine.js';
import { effectCode } from '../../domain/state/schema.js';
import type { EventLog } from '../cpu/log.js';
import { advance, EVENTS_PER_INSN, YIELD, type Guest, type Own } from '../loop.js';
import { MODES } from '../modes/registry.js';
import type { ModeSpec } from '../modes/spec.js';
import { runStatus } from './status.js';

const TLB_MODEL_CLEAR = effectCode('tlbModel.clear');

/** Several VMs need a mode with a hypervisor, and at most MAX_VMS of them (docs/multi-vm.md). */
export function refuseSeveralVms(spec: ModeSpec, config: RunConfig): void {
  const count = vmConfigs(config).length;
  if (count === 1) return;
  if (spec.hypervisor === undefined) {
    const able = MODES.filter((m) => m.hypervisor !== undefined).map((m) => m.name);
    throw new VlabError('E_USAGE', `mode ${spec.name} has no hypervisor and runs one VM; several VMs need one of: ${able.join(', ')}`);
  }
  if (count > MAX_VMS) throw new VlabError('E_USAGE', `${count} VMs: a run holds at most ${MAX_VMS}`);
  const quantum = config.quantum ?? DEFAULT_QUANTUM;
  if (!Number.isSafeInteger(quantum) || quantum < 1) throw new VlabError('E_USAGE', `--quantum must be a whole number of at least 1, got ${quantum}`);
}

/**
 * The hypervisor's round-robin scheduler over one physical CPU (docs/multi-vm.md). A VM
 * runs until it has used a quantum of its own timer counts (or 16 events a count: a VMM
 * path that makes no progress), halts after progress in its slice, or ends; the next live VM
 * in index order then gets the CPU through a `world-switch` event. Everything it decides
 * from is in the machine state (the schedule, each VM's counters and end), so a run
 * resumed from a checkpoint schedules exactly as the run that wrote it.
 */
export class Hypervisor {
  private readonly quantum: number;
  private readonly own: Own = { events: 0, ticksLeft: 0, canYield: false };
  private readonly machine: Machine;

  constructor(
    private readonly spec: ModeSpec,
    config: RunConfig,
    private readonly guests: readonly Guest[],
    private readonly log: EventLog,
  ) {
    this.quantum = config.quantum ?? DEFAULT_QUANTUM;
    this.machine = log.machine;
  }

  /** One step of the VM on the CPU, or a switch to the next one. */
  step(until: number): void {
    const m = this.machine;
    const current = m.schedule.vm;
    const guest = this.guests[current] as Guest;
    const vm = guest.env.vm;
    const next = this.nextLive(current);
    const sliceEvents = m.seq - m.schedule.seq;
    const sliceTicks = vm.ticks - m.schedule.ticks;
    if (next !== undefined && (sliceTicks >= this.quantum || sliceEvents >= EVENTS_PER_INSN * this.quantum)) return this.switchTo(current, next);
    const own = this.own;
    own.events = vm.share.events + sliceEvents;
    own.ticksLeft = next === undefined ? Number.POSITIVE_INFINITY : this.quantum - sliceTicks;
    own.canYield = next !== undefined && sliceEvents > 0;
    const r = advance(guest.env, guest.engine, until, guest.budget, own);
    if (r === undefined) return;
    if (r === YIELD) return this.switchTo(current, next as number);
    this.log.emit(vmEnd, current, r);
    if (next !== undefined) return this.switchTo(current, next);
    this.log.emit(runEnd, 0, runStatus(m.vms.map((v) => v.ended)));
  }

  /** The next VM after `from`, in index order and round, that has not ended; undefined when none but `from` is left. */
  private nextLive(from: number): number | undefined {
    const n = this.guests.length;
    for (let k = 1; k < n; k++) {
      const i = (from + k) % n;
      if (this.machine.vm(i).ended === undefined) return i;
    }
    return undefined;
  }

  /** The world switch: charged to the VM that leaves the CPU; its TLB entries do not survive the next VM (no VPID or ASID tags). */
  private switchTo(from: number, to: number): void {
    const via = this.spec.hypervisor ?? 'interpreter';
    const vm = this.machine.vm(from);
    this.log.open(worldSwitch, from, { direction: 'to-vm', target: to, via });
    if (via !== 'interpreter') {
      vm.tlbModel.fill(0);
      this.log.effect(TLB_MODEL_CLEAR, 0, 0);
    }
    this.log.close();
  }
}

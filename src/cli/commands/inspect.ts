import type { Command } from 'commander';
import { vmConfigs, type RunConfig } from '../../domain/config.js';
import { VlabError } from '../../domain/errors.js';
import { hostPlacement, placementText, type Placement } from '../../engines/hypervisor/placement.js';
import { EVENT_TYPES } from '../../domain/events/registry.js';
import { guestRegisters } from '../../domain/guest-view.js';
import { REG_NAMES } from '../../domain/state/layout.js';
import type { MachineState } from '../../domain/state/machine.js';
import { machineFields, machineKind, vmFields, vmKind } from '../../domain/state/schema.js';
import { modeSpec } from '../../engines/modes/registry.js';
import { eventText } from '../../replay/event-text.js';
import { checkTrace } from '../../replay/order.js';
import { TraceReader } from '../../replay/reader.js';
import { seek } from '../../replay/seek.js';
import { eventsFrom } from '../../replay/source.js';
import { parseCount, parseVmIndex } from '../config.js';
import type { Io } from '../io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** One VM after an event, field by field as schema.ts shows each, the guest's registers first. */
function vmText(state: MachineState, checkpoint: MachineState, mode: string, index: number): string[] {
  const vm = state.vms[index];
  if (vm === undefined) return [];
  const guest = guestRegisters(vm, modeSpec(mode).projection);
  const changed = vm.memory.pages.flatMap((p, i) => (p !== checkpoint.vms[index]?.memory.pages[i] ? [`0x${(i << 12).toString(16)}`] : []));
  return [
    ...vmKind('cpu').show('guest', guest),
    ...vmFields().flatMap((f) => vmKind(f).show(f, vm[f])),
    `pages changed since the nearest checkpoint: ${changed.join(' ') || 'none'}`,
  ];
}

/** The machine after an event: the run's fields, then each VM asked for (several VMs: each headed by its index, guest and host-physical RAM). */
function stateText(state: MachineState, checkpoint: MachineState, config: RunConfig, only: number | undefined): string[] {
  const retired = state.vms.reduce((sum, vm) => sum + vm.retired, 0);
  const head = `state after ${state.seq} events (${retired} guest instructions, ${state.cycles} cycles)`;
  if (config.extraVms === undefined) return [head, ...vmText(state, checkpoint, config.mode, 0), ...machineFields().flatMap((f) => machineKind(f).show(f, state[f]))];
  const places = hostPlacement(config);
  const vms = only === undefined ? state.vms.map((_, i) => i) : [only];
  return [
    head,
    ...machineFields().flatMap((f) => machineKind(f).show(f, state[f])),
    ...vms.flatMap((i) => [`vm ${i}: ${vmConfigs(config)[i]?.guest ?? ''}, RAM at host-physical ${placementText(places[i] as Placement)}`, ...vmText(state, checkpoint, config.mode, i).map((l) => `  ${l}`)]),
  ];
}

function vmJson(state: MachineState, mode: string, index: number): Record<string, unknown> {
  const vm = state.vms[index];
  const guest = vm === undefined ? [] : Array.from(guestRegisters(vm, modeSpec(mode).projection));
  return {
    guest: Object.fromEntries(REG_NAMES.map((n, i) => [n, guest[i]])),
    vm: vm === undefined ? {} : Object.fromEntries(vmFields().map((f) => [f, vmKind(f).json(vm[f])])),
  };
}

/** One VM: `{ events, guest, <machine fields>, vm }` as ever; several: `vms: [{ index, guest, vm }]` (or the one asked for). */
function stateJson(state: MachineState, config: RunConfig, only: number | undefined): Record<string, unknown> {
  const machine = Object.fromEntries(machineFields().map((f) => [f, machineKind(f).json(state[f])]));
  if (config.extraVms === undefined) {
    const { guest, vm } = vmJson(state, config.mode, 0);
    return { events: state.seq, guest, ...machine, vm };
  }
  const vms = only === undefined ? state.vms.map((_, i) => i) : [only];
  return { events: state.seq, ...machine, vms: vms.map((i) => ({ index: i, ...vmJson(state, config.mode, i) })) };
}

function parseRange(text: string): [number, number] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text);
  if (m === null) throw new VlabError('E_USAGE', `--range needs A..B, got '${text}'`);
  return [Number(m[1]), Number(m[2])];
}

/** Streams the events of the range: read, or regenerated from the nearest checkpoint; stops at the range's end. */
function listEvents(io: Io, reader: TraceReader, [from, to]: [number, number], types: readonly string[], json: boolean, vm: number | undefined): void {
  for (const batch of eventsFrom(reader, from)) {
    for (let i = Math.max(0, from - batch.start); i < batch.length; i++) {
      if (batch.start + i > to) return;
      if (types.length > 0 && !types.includes(batch.typeOf(i))) continue;
      if (vm !== undefined && (batch.ctx[i] as number) >>> 4 !== vm) continue;
      const event = batch.at(i);
      io.out(json ? `${JSON.stringify(event, (k, v: unknown) => (k === 'config' ? undefined : v))}\n` : `${eventText(event)}\n`);
    }
    if (batch.start + batch.length > to) return;
  }
}

export function registerInspect(program: Command, io: Io): void {
  program
    .command('inspect')
    .argument('<trace>', 'a trace file')
    .description('show events (with disassembly) and the machine state at any event')
    .option('--at <n>', 'the machine state just after event n')
    .option('--range <a..b>', 'the events a to b', '0..20')
    .option('--type <type>', `only events of this type (repeatable): ${EVENT_TYPES.join(' ')}`, collect)
    .option('--vm-index <n>', 'several VMs: with --at, only this VM\'s state; else only this VM\'s events')
    .option('--json', 'JSON lines')
    .action((trace: string, options: { at?: string; range: string; type?: string[]; json?: boolean; vmIndex?: string }) => {
      const types = (options.type ?? []).flatMap((t) => t.split(','));
      for (const t of types) {
        if (!(EVENT_TYPES as readonly string[]).includes(t)) throw new VlabError('E_USAGE', `unknown event type '${t}' (valid: ${EVENT_TYPES.join(', ')})`);
      }
      const reader = new TraceReader(trace);
      try {
        checkTrace(reader);
        const config = reader.header.config;
        const only = parseVmIndex(options.vmIndex, config, trace);
        if (options.at === undefined) return listEvents(io, reader, parseRange(options.range), types, options.json === true, only);
        const { state, checkpoint } = seek(reader, parseCount('--at', options.at) + 1);
        io.out(options.json === true ? `${JSON.stringify(stateJson(state, config, only))}\n` : `${stateText(state, checkpoint, config, only).join('\n')}\n`);
      } finally {
        reader.close();
      }
    });
}

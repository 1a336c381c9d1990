import type { Command } from 'commander';
import { VlabError } from '../../domain/errors.js';
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
import { parseCount } from '../config.js';
import type { Io } from '../io.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The machine after an event, field by field as schema.ts shows each, the guest's registers first. */
function stateText(state: MachineState, checkpoint: MachineState, mode: string): string[] {
  const vm = state.vms[0];
  if (vm === undefined) return [];
  const guest = guestRegisters(vm, modeSpec(mode).projection);
  const changed = vm.memory.pages.flatMap((p, i) => (p !== checkpoint.vms[0]?.memory.pages[i] ? [`0x${(i << 12).toString(16)}`] : []));
  return [
    `state after ${state.seq} events (${vm.retired} guest instructions, ${state.cycles} cycles)`,
    ...vmKind('cpu').show('guest', guest),
    ...vmFields().flatMap((f) => vmKind(f).show(f, vm[f])),
    ...machineFields().flatMap((f) => machineKind(f).show(f, state[f])),
    `pages changed since the nearest checkpoint: ${changed.join(' ') || 'none'}`,
  ];
}

function stateJson(state: MachineState, mode: string): Record<string, unknown> {
  const vm = state.vms[0];
  const guest = vm === undefined ? [] : Array.from(guestRegisters(vm, modeSpec(mode).projection));
  return {
    events: state.seq,
    guest: Object.fromEntries(REG_NAMES.map((n, i) => [n, guest[i]])),
    ...Object.fromEntries(machineFields().map((f) => [f, machineKind(f).json(state[f])])),
    vm: vm === undefined ? {} : Object.fromEntries(vmFields().map((f) => [f, vmKind(f).json(vm[f])])),
  };
}

function parseRange(text: string): [number, number] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text);
  if (m === null) throw new VlabError('E_USAGE', `--range needs A..B, got '${text}'`);
  return [Number(m[1]), Number(m[2])];
}

/** Streams the events of the range: read, or regenerated from the nearest checkpoint; stops at the range's end. */
function listEvents(io: Io, reader: TraceReader, [from, to]: [number, number], types: readonly string[], json: boolean): void {
  for (const batch of eventsFrom(reader, from)) {
    for (let i = Math.max(0, from - batch.start); i < batch.length; i++) {
      if (batch.start + i > to) return;
      if (types.length > 0 && !types.includes(batch.typeOf(i))) continue;
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
    .option('--json', 'JSON lines')
    .action((trace: string, options: { at?: string; range: string; type?: string[]; json?: boolean }) => {
      const types = (options.type ?? []).flatMap((t) => t.split(','));
      for (const t of types) {
        if (!(EVENT_TYPES as readonly string[]).includes(t)) throw new VlabError('E_USAGE', `unknown event type '${t}' (valid: ${EVENT_TYPES.join(', ')})`);
      }
      const reader = new TraceReader(trace);
      try {
        checkTrace(reader);
        if (options.at === undefined) return listEvents(io, reader, parseRange(options.range), types, options.json === true);
        const { state, checkpoint } = seek(reader, parseCount('--at', options.at) + 1);
        const mode = reader.header.config.mode;
        io.out(options.json === true ? `${JSON.stringify(stateJson(state, mode))}\n` : `${stateText(state, checkpoint, mode).join('\n')}\n`);
      } finally {
        reader.close();
      }
    });
}

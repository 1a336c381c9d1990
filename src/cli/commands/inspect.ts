import type { Command } from 'commander';
import { VlabError } from '../../domain/errors.js';
import { EVENT_TYPES, type EventType } from '../../domain/events/event.js';
import { guestRegisters } from '../../domain/guest-view.js';
import { DEV_NAMES, REG_NAMES } from '../../domain/state/layout.js';
import type { MachineState } from '../../domain/state/machine.js';
import { eventText } from '../../replay/event-text.js';
import { ChunkKind } from '../../replay/format.js';
import { TraceReader, type Chunk } from '../../replay/reader.js';
import { seek } from '../../replay/seek.js';
import { parseCount } from '../config.js';
import type { Io } from '../io.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function registers(label: string, file: ArrayLike<number>): string[] {
  const out: string[] = [];
  for (let i = 0; i < file.length; i += 6) {
    out.push(`${label}${Array.from({ length: Math.min(6, file.length - i) }, (_, k) => `${(REG_NAMES[i + k] ?? '').padStart(10)} ${hex(file[i + k] ?? 0)}`).join('')}`);
  }
  return out;
}

function stateReport(state: MachineState, checkpoint: MachineState, mode: Parameters<typeof guestRegisters>[1]): Record<string, unknown> {
  const changed = state.memory.pages.flatMap((p, i) => (p !== checkpoint.memory.pages[i] ? [hex(i << 12)] : []));
  return {
    events: state.seq,
    guestInsns: state.retired,
    cycles: state.cycles,
    guest: Object.fromEntries(REG_NAMES.map((n, i) => [n, guestRegisters(state, mode)[i]])),
    cpu: Object.fromEntries(REG_NAMES.map((n, i) => [n, state.cpu[i]])),
    vcpu: Object.fromEntries(REG_NAMES.map((n, i) => [n, state.vcpu[i]])),
    devices: Object.fromEntries(DEV_NAMES.map((n, i) => [n, state.dev[i]])),
    shadowEntries: state.shadow.size,
    pagesChangedSinceCheckpoint: changed,
    console: state.console,
  };
}

function printState(io: Io, r: Record<string, unknown>, state: MachineState): void {
  io.out(`state after ${String(r.events)} events (${String(r.guestInsns)} guest instructions, ${String(r.cycles)} cycles)\n`);
  io.out(`${[...registers('cpu  ', state.cpu), ...registers('vcpu ', state.vcpu)].join('\n')}\n`);
  io.out(`devices ${DEV_NAMES.map((n, i) => `${n}=${hex(state.dev[i] ?? 0)}`).join(' ')}\n`);
  io.out(`shadow page table: ${String(r.shadowEntries)} entries; pages changed since the last checkpoint: ${(r.pagesChangedSinceCheckpoint as string[]).join(' ') || 'none'}\n`);
  io.out(`console (${state.console.length} bytes): ${JSON.stringify(state.console.slice(-200))}\n`);
}

function parseRange(text: string): [number, number] {
  const m = /^(\d+)\.\.(\d+)$/.exec(text);
  if (m === null) throw new VlabError('E_USAGE', `--range needs A..B, got '${text}'`);
  return [Number(m[1]), Number(m[2])];
}

/** The event chunks that may hold the range: through the index when there is one. */
function* eventChunks(reader: TraceReader, range: [number, number]): Generator<Chunk> {
  const index = reader.index();
  if (index === undefined) {
    for (const chunk of reader.chunks()) if (chunk.kind === ChunkKind.EVENTS) yield chunk;
    return;
  }
  for (const entry of index.chunks) {
    if (entry.kind === ChunkKind.EVENTS && entry.firstEvent + entry.count > range[0] && entry.firstEvent <= range[1]) yield reader.chunkAt(entry.offset, -1);
  }
}

function listEvents(io: Io, reader: TraceReader, range: [number, number], types: readonly string[], json: boolean): void {
  for (const chunk of eventChunks(reader, range)) {
    const batch = reader.batchOf(chunk);
    if (batch.start > range[1]) break;
    for (let i = Math.max(0, range[0] - batch.start); i < batch.length && batch.start + i <= range[1]; i++) {
      if (types.length > 0 && !types.includes(batch.typeOf(i))) continue;
      const event = batch.at(i);
      io.out(json ? `${JSON.stringify(event, (k, v: unknown) => (k === 'config' ? undefined : v))}\n` : `${eventText(event)}\n`);
    }
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
      for (const t of options.type ?? []) {
        if (!(EVENT_TYPES as readonly string[]).includes(t)) throw new VlabError('E_USAGE', `unknown event type '${t}' (valid: ${EVENT_TYPES.join(', ')})`);
      }
      const reader = new TraceReader(trace);
      try {
        if (options.at === undefined) {
          listEvents(io, reader, parseRange(options.range), (options.type ?? []) as EventType[], options.json === true);
          return;
        }
        const { state, checkpoint } = seek(reader, parseCount('--at', options.at) + 1);
        const report = stateReport(state, checkpoint, reader.header.config.mode);
        if (options.json === true) io.out(`${JSON.stringify(report)}\n`);
        else printState(io, report, state);
      } finally {
        reader.close();
      }
    });
}

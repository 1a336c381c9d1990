import type { EventBatch } from '../domain/events/batch.js';
import { payloadAt, specOf } from '../domain/events/registry.js';

/** Virtual cycles per microsecond of the timeline: 1 cycle = 1/1000 µs (a nominal 1 GHz clock, the same for every CPU profile). */
export const CYCLES_PER_US = 1000;

/** Tracks (Chrome trace-event tids) of each VM's process. */
export const TRACK = { guest: 1, vmm: 2 } as const;

/** Guest-family events shown as instants on the guest track (insn is aggregated, idle is a slice). */
const GUEST_INSTANTS = new Set(['exception', 'interrupt', 'io', 'irq']);
/** Monitor-family events shown as instants on the VMM track: a ring kick, an event-channel notification. */
const VMM_INSTANTS = new Set(['evtchn']);

const us = (cycles: number): number => cycles / CYCLES_PER_US;

/** The run's configuration (the whole image) stays out of run-start's arguments. */
const json = (value: unknown): string => JSON.stringify(value, (k, v: unknown) => (k === 'config' ? undefined : typeof v === 'bigint' ? v.toString() : v));

interface Open {
  start: number;
  end: number;
  insns: number;
  firstSeq: number;
}

/**
 * Writes a run's events as Chrome trace-event JSON (what ui.perfetto.dev and chrome://tracing
 * open), one element at a time: one process per VM, a guest track and a VMM track; runs of
 * consecutive guest instructions become one slice, each monitor event a slice as long as its
 * cost, interrupts and kicks instants, and a counter of cumulative cycles.
 */
/** `titles`: one per VM of the run, VM 0 first. */
export function writePerfetto(batches: Iterable<EventBatch>, titles: readonly string[], write: (text: string) => void): { events: number; cycles: number } {
  let first = true;
  const emit = (e: Record<string, unknown>): void => {
    write(`${first ? '\n' : ',\n'}${json(e)}`);
    first = false;
  };
  write('{"displayTimeUnit":"ns","otherData":');
  write(json({ source: 'vlab', cyclesPerMicrosecond: CYCLES_PER_US, title: titles[0] }));
  write(',"traceEvents":[');
  const vmsSeen = new Set<number>();
  const open = new Map<number, Open>();
  let cycles = 0;
  let events = 0;
  const counter = (pid: number): void => emit({ name: 'cycles', ph: 'C', ts: us(cycles), pid, args: { cycles } });
  const closeGuest = (pid: number): void => {
    const o = open.get(pid);
    if (o === undefined) return;
    open.delete(pid);
    emit({ name: 'guest', cat: 'guest', ph: 'X', ts: us(o.start), dur: us(o.end - o.start), pid, tid: TRACK.guest, args: { instructions: o.insns, firstEvent: o.firstSeq } });
    counter(pid);
  };
  const process = (pid: number): void => {
    if (vmsSeen.has(pid)) return;
    vmsSeen.add(pid);
    emit({ name: 'process_name', ph: 'M', pid, args: { name: `VM ${pid - 1}: ${titles[pid - 1] ?? ''}` } });
    emit({ name: 'thread_name', ph: 'M', pid, tid: TRACK.guest, args: { name: 'guest' } });
    emit({ name: 'thread_name', ph: 'M', pid, tid: TRACK.vmm, args: { name: 'VMM' } });
  };
  for (const batch of batches) {
    for (let i = 0; i < batch.length; i++) {
      const seq = batch.start + i;
      const spec = specOf(batch.type[i] as number);
      const cost = batch.cost[i] as number;
      const pid = ((batch.ctx[i] as number) >> 4) + 1;
      process(pid);
      events++;
      const start = cycles;
      cycles += cost;
      if (spec.type === 'insn') {
        const o = open.get(pid);
        if (o === undefined) open.set(pid, { start, end: cycles, insns: 1, firstSeq: seq });
        else {
          o.end = cycles;
          o.insns++;
        }
        continue;
      }
      for (const p of [...open.keys()]) closeGuest(p);
      if (spec.family === 'run') {
        if (spec.type !== 'checkpoint') emit({ name: spec.type, cat: 'run', ph: 'i', s: 'p', ts: us(start), pid, tid: TRACK.guest, args: { seq, ...payloadAt(batch, i) } });
        continue;
      }
      const guest = spec.family === 'guest';
      const tid = guest ? TRACK.guest : TRACK.vmm;
      const args = { seq, cost, ...payloadAt(batch, i) };
      if ((guest && GUEST_INSTANTS.has(spec.type)) || VMM_INSTANTS.has(spec.type)) {
        emit({ name: spec.type, cat: spec.family, ph: 'i', s: 't', ts: us(start), pid, tid, args });
        if (cost > 0) counter(pid);
        continue;
      }
      emit({ name: spec.type, cat: spec.family, ph: 'X', ts: us(start), dur: us(cost), pid, tid, args });
      if (spec.type === 'ring') emit({ name: 'ring kick', cat: spec.family, ph: 'i', s: 't', ts: us(start), pid, tid, args: { seq } });
      counter(pid);
    }
  }
  for (const p of [...open.keys()]) closeGuest(p);
  write('\n]}\n');
  return { events, cycles };
}

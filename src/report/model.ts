import type { CostKey } from '../domain/cost/keys.js';
import { CPU_PROFILES } from '../domain/cost/profile.js';
import { EVENT_SPECS } from '../domain/events/registry.js';
import { coarsen, type KindStat, type Timeline } from '../engines/kinds.js';
import { modeSpec } from '../engines/modes/registry.js';
import type { RunSummary } from '../engines/summary.js';
import type { Comparison } from '../cli/commands/compare.js';
import type { NanoSuite } from '../cli/nanobench.js';

/** One chart: its categories, and a series of numbers per category (null where there is none). */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly type: 'bar' | 'line';
  readonly stacked: boolean;
  readonly horizontal?: boolean;
  readonly logarithmic?: boolean;
  readonly unit: string;
  readonly labels: readonly string[];
  readonly series: readonly { readonly name: string; readonly values: readonly (number | null)[] }[];
}

/** A run as the report shows it. */
export interface ReportRun {
  readonly label: string;
  readonly mode: string;
  readonly isa: string;
  readonly cpu: string;
  readonly end: string;
  readonly guestInsns: number;
  readonly cycles: number;
  /** Against native on the same ISA and CPU profile, when compared. */
  readonly slowdown?: number;
  readonly verdict?: string;
  readonly story: string;
}

/** Everything the HTML page shows, as data: embedded in the page as JSON and drawn from it. */
export interface ReportData {
  readonly title: string;
  readonly runs: readonly ReportRun[];
  readonly figures: readonly Figure[];
  readonly timelines: readonly Figure[];
}

/** A run measured with its events (engines/kinds.ts), with its comparison with native where there is one. */
export interface MeasuredInput {
  readonly summary: RunSummary;
  readonly kinds: readonly KindStat[];
  readonly timeline: Timeline;
  readonly slowdown?: number;
  readonly verdict?: string;
}

/** Buckets of the timelines: a run of the longest length shows at most this many. */
const TIMELINE_BUCKETS = 60;

/** The transitions whose fall across CPU generations the report draws, as the cost components they are charged. */
const TRANSITIONS: readonly (readonly [string, readonly CostKey[]])[] = [
  ['VM exit + VM entry (hardware assist)', ['vmexit', 'vmentry']],
  ['trap into the VMM and back (trap-and-emulate)', ['trap']],
  ['callout from translated code (binary translation)', ['callout']],
  ['fault through the IDT (native)', ['fault']],
];

/** The monitor's transitions counted by reason in the reasons figure. */
const TRANSITION_EVENTS = ['vmexit', 'trap', 'hypercall', 'callout'];

export function reportData(title: string, runs: readonly MeasuredInput[], suite?: NanoSuite): ReportData {
  const cpus = new Set(runs.map((r) => r.summary.cpu)).size > 1;
  const label = (s: RunSummary): string => `${s.mode} (${s.isa}${cpus ? `, ${s.cpu}` : ''})`;
  const shown = runs.map((r): ReportRun => ({
    label: label(r.summary),
    mode: r.summary.mode,
    isa: r.summary.isa,
    cpu: r.summary.cpu,
    end: r.summary.endReason === 'exit' ? `exit ${r.summary.exitCode}` : r.summary.endReason,
    guestInsns: r.summary.guestInsns,
    cycles: r.summary.cycles,
    ...(r.slowdown === undefined ? {} : { slowdown: Number(r.slowdown.toFixed(4)) }),
    ...(r.verdict === undefined ? {} : { verdict: r.verdict }),
    story: modeSpec(r.summary.mode).story,
  }));
  const figures = [cyclesByKind(runs, shown), byReason(runs, shown), transitions(), ...(suite === undefined ? [] : [nanoFigure(suite)])];
  return { title, runs: shown, figures, timelines: timelines(runs, shown) };
}

/** From `vlab compare`'s runs, measured. */
export function comparisonReport(c: Comparison, verdict: (r: Comparison['runs'][number]) => string, suite?: NanoSuite): ReportData {
  const runs = c.runs.flatMap((r) => (r.kinds === undefined || r.timeline === undefined ? [] : [{ summary: r.summary, kinds: r.kinds, timeline: r.timeline, slowdown: r.cyclesVsNative, verdict: verdict(r) }]));
  const isas = [...new Set(c.runs.map((r) => r.summary.isa))].join(', ');
  return reportData(`${c.guest} under ${new Set(c.runs.map((r) => r.summary.mode)).size} modes (ISA ${isas})`, runs, suite);
}

function cyclesByKind(runs: readonly MeasuredInput[], shown: readonly ReportRun[]): Figure {
  const types = EVENT_SPECS.map((s) => s.type).filter((t) => runs.some((r) => r.kinds.some((k) => k.type === t && k.cycles > 0)));
  const cyclesOf = (r: MeasuredInput, type: string): number => r.kinds.filter((k) => k.type === type).reduce((n, k) => n + k.cycles, 0);
  return {
    id: 'cycles-by-kind',
    title: 'Where the cycles go',
    caption: 'Virtual cycles of each run, stacked by event type: the guest’s own instructions, faults and interrupts, and what the monitor did (traps, emulation, translation, callouts, VM exits and entries, hypercalls, shadow and EPT fills).',
    type: 'bar',
    stacked: true,
    unit: 'virtual cycles',
    labels: shown.map((r) => r.label),
    series: types.map((type) => ({ name: type, values: runs.map((r) => cyclesOf(r, type)) })),
  };
}

function byReason(runs: readonly MeasuredInput[], shown: readonly ReportRun[]): Figure {
  const kinds = [...new Set(runs.flatMap((r) => r.kinds.filter((k) => TRANSITION_EVENTS.includes(k.type)).map((k) => `${k.type} ${k.reason ?? ''}`.trim())))];
  const with_ = runs.map((r, i) => [r, shown[i] as ReportRun] as const).filter(([r]) => r.kinds.some((k) => TRANSITION_EVENTS.includes(k.type)));
  const countOf = (r: MeasuredInput, kind: string): number => r.kinds.find((k) => `${k.type} ${k.reason ?? ''}`.trim() === kind)?.count ?? 0;
  return {
    id: 'by-reason',
    title: 'VM exits, traps, callouts and hypercalls by reason',
    caption: 'How often each run left the guest for the monitor, and why: VM exits by basic exit reason (Intel SDM Vol. 3C App. C), traps by cause, callouts by reason, hypercalls by name.',
    type: 'bar',
    stacked: true,
    horizontal: true,
    unit: 'events',
    labels: with_.map(([, s]) => s.label),
    series: kinds.map((kind) => ({ name: kind, values: with_.map(([r]) => countOf(r, kind)) })),
  };
}

function transitions(): Figure {
  const profiles = [...CPU_PROFILES.values()];
  return {
    id: 'transitions',
    title: 'The fall of the transition cost across CPU generations',
    caption: 'Cycles of one transition between guest and monitor under each CPU profile (vlab list cpus; every number is sourced there).',
    type: 'line',
    stacked: false,
    unit: 'cycles',
    labels: profiles.map((p) => p.name),
    series: TRANSITIONS.map(([name, keys]) => ({ name, values: profiles.map((p) => keys.reduce((n, k) => n + p.cycles[k], 0)) })),
  };
}

function nanoFigure(s: NanoSuite): Figure {
  const modes = (s.rows[0]?.cells ?? []).map((c) => c.mode);
  return {
    id: 'nanobench',
    title: `Nanobenchmarks: cycles per operation on ${s.cpu}`,
    caption: `(cycles with 2N iterations − cycles with N) / N, N = ${s.n}, native first: the table of Adams & Agesen 2006 (docs/fidelity.md). Logarithmic scale.`,
    type: 'bar',
    stacked: false,
    logarithmic: true,
    unit: 'cycles per operation',
    labels: s.rows.map((r) => r.bench),
    series: modes.map((mode, m) => ({ name: mode, values: s.rows.map((r) => { const c = r.cells[m]?.cyclesPerOp; return c === undefined ? null : Number(c.toFixed(2)); }) })),
  };
}

/** One timeline a mode (its first run), all in buckets of the same virtual time, so that a faster run ends sooner. */
function timelines(runs: readonly MeasuredInput[], shown: readonly ReportRun[]): Figure[] {
  const firsts = runs.map((r, i) => [r, shown[i] as ReportRun] as const).filter(([r], i) => runs.findIndex((o) => o.summary.mode === r.summary.mode) === i);
  const longest = Math.max(...firsts.map(([r]) => r.summary.cycles), 1);
  let width = Math.max(...firsts.map(([r]) => r.timeline.width));
  while (longest / width > TIMELINE_BUCKETS) width *= 2;
  const buckets = Math.ceil(longest / width);
  return firsts.map(([r, s]) => {
    const t = coarsen(r.timeline, width / r.timeline.width);
    const padded = (column: readonly number[]): (number | null)[] => Array.from({ length: buckets }, (_, i) => column[i] ?? null);
    return {
      id: `timeline-${s.mode}`,
      title: s.label,
      caption: `${s.cycles} virtual cycles, in buckets of ${width}`,
      type: 'bar',
      stacked: true,
      unit: 'virtual cycles',
      labels: Array.from({ length: buckets }, (_, i) => `${((i * width) / 1e6).toFixed(1)}M`),
      series: [{ name: 'guest (the machine’s work)', values: padded(t.guest) }, { name: 'VMM (virtualization’s work)', values: padded(t.vmm) }],
    };
  });
}

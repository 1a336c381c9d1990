/**
 * vlab as a library: a small, stable API over the laboratory (docs/api.md).
 *
 *   import { assemble, run, record, replay, compare, diff, sweep, merge, modes, cpus } from 'vlab';
 *
 * Guests are named as on the command line: a `.s` file, an image file, or a guest name
 * (`hello`, `minios`, …). Errors are thrown as VlabError, with a stable `code`.
 */
import { assemble as assembleSource, formatAsmError, type AssembleResult } from './domain/asm/index.js';
import { CPU_PROFILES, DEFAULT_CPU } from './domain/cost/profile.js';
import type { IsaProfile } from './domain/isa/table.js';
import { MODES, MODE_NAMES } from './engines/modes/registry.js';
import { runToSummary, type RunSummary } from './engines/summary.js';
import { compareGuest, comparisonJson, withDivergences } from './cli/commands/compare.js';
import { measureRun } from './engines/kinds.js';
import type { RunConfig } from './domain/config.js';
import { diffJson, liveSide, traceSide } from './cli/commands/diff.js';
import { modeJson } from './cli/commands/list.js';
import { parseCpu, parseMode, parseProfile, runConfig } from './cli/config.js';
import { runExit } from './cli/exit-codes.js';
import { diffRuns } from './replay/diff.js';
import { recordRun } from './replay/record.js';
import { replayTrace, type ReplayResult } from './replay/replay.js';
import { vlabVersion } from './cli/package-info.js';
import { gridOf } from './sweep/grid-file.js';
import { mergeShards } from './sweep/merge.js';
import { parseShard } from './sweep/shard.js';
import { sweep as runSweep } from './sweep/sweep.js';
import { summarize, type SummaryRow } from './sweep/summary.js';

export { VlabError, ERROR_CODES, type ErrorCode } from './domain/errors.js';
export { EXIT, EXIT_TABLE } from './cli/exit-codes.js';
export type { RunSummary, VmSummary } from './engines/summary.js';
export type { ReplayResult } from './replay/replay.js';
export type { AssembleResult } from './domain/asm/index.js';
export type { SummaryRow } from './sweep/summary.js';

/** How to run a guest: every option is optional, as on the command line. */
export interface RunOptions {
  /** A registered mode (see `modes()`); default `native`. */
  readonly mode?: string;
  /** `classic` or `virtualizable`; default `classic`. */
  readonly isa?: IsaProfile;
  /** Budget of guest instructions. */
  readonly maxInsns?: number;
  /** Console input. */
  readonly input?: string;
  /** A disk image file. */
  readonly disk?: string;
  /** A CPU cost profile (see `cpus()`). */
  readonly cpu?: string;
  /** Assembler symbols. */
  readonly defines?: Readonly<Record<string, number>>;
  /** More VMs beside the guest, on the mode's hypervisor (docs/multi-vm.md): `summary.vms` has each one's result. */
  readonly vms?: readonly string[];
  /** Several VMs: the time slice, in each VM's own timer counts. */
  readonly quantum?: number;
}

function cliOptions(o: RunOptions): Parameters<typeof runConfig>[1] {
  return {
    mode: o.mode,
    isa: o.isa,
    maxInsns: o.maxInsns === undefined ? undefined : String(o.maxInsns),
    input: o.input,
    disk: o.disk,
    cpu: o.cpu,
    define: Object.entries(o.defines ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(o.vms === undefined ? {} : { vm: o.vms }),
    ...(o.quantum === undefined ? {} : { quantum: String(o.quantum) }),
  };
}

/** Assembles VX32 source text; `messages` are its errors as `file:line:col` text when it fails. */
export function assemble(source: string, file = 'input.s'): AssembleResult & { readonly messages: readonly string[] } {
  const result = assembleSource(source, { file });
  return { ...result, messages: result.ok ? [] : result.errors.map(formatAsmError) };
}

/** Runs a guest to its end; `status` is what `vlab run` exits with. */
export function run(guest: string, options: RunOptions = {}): RunSummary & { readonly status: number } {
  const summary = runToSummary(runConfig(guest, cliOptions(options)));
  return { ...summary, status: runExit(summary.endReason, summary.exitCode) };
}

/** Runs a guest and records it to a trace file (with `events`, every event too). */
export function record(guest: string, path: string, options: RunOptions & { readonly events?: boolean } = {}): RunSummary {
  return recordRun(runConfig(guest, cliOptions(options)), path, { events: options.events === true });
}

/** Replays a trace, checking every checkpoint; `cpu` re-prices it under another CPU profile. */
export function replay(path: string, options: { readonly cpu?: string; readonly salvage?: boolean } = {}): ReplayResult {
  return replayTrace(path, { salvage: options.salvage, pricedAs: options.cpu === undefined ? undefined : parseCpu(options.cpu) });
}

/** The shape of `vlab compare --json`. */
export interface Comparison {
  readonly guest: string;
  readonly runs: readonly (RunSummary & { readonly build?: string; readonly vmmEvents: number; readonly sameAsNative: boolean; readonly expectedSame: boolean; readonly cyclesVsNative: number; readonly kinds?: readonly { readonly type: string; readonly reason?: string; readonly count: number; readonly cycles: number }[]; readonly divergence?: { readonly step: number; readonly event: string; readonly difference: readonly string[] } })[];
  readonly unexpected: readonly string[];
}

/** Runs a guest under several modes (default: all) on each ISA profile, each compared with native. */
export function compare(guest: string, options: Omit<RunOptions, 'mode' | 'isa' | 'cpu'> & { readonly modes?: readonly string[]; readonly isa?: readonly IsaProfile[]; readonly cpus?: readonly string[] } = {}): Comparison {
  const plan = { modes: (options.modes ?? MODE_NAMES).map(parseMode), profiles: (options.isa ?? ['classic']).map(parseProfile), cpus: (options.cpus ?? [DEFAULT_CPU]).map((c) => parseCpu(c).name) };
  const configOf = (build: string, mode: string, isa: IsaProfile, cpu: string): RunConfig => runConfig(build, cliOptions({ ...options, mode, isa, cpu }));
  const { comparison } = compareGuest(guest, plan, (...cell) => measureRun(configOf(...cell)));
  return comparisonJson(withDivergences(comparison, (mode, isa, cpu) => configOf(guest, mode, isa, cpu))) as Comparison;
}

/** The shape of `vlab diff --json`. */
export interface Diff {
  readonly equal: boolean;
  readonly sides: readonly [string, string];
  readonly divergence: { readonly step: number; readonly events: readonly (number | null)[]; readonly texts: readonly string[]; readonly difference: readonly string[] } | null;
  readonly tally: readonly { readonly type: string; readonly events: readonly [number, number]; readonly cycles: readonly [number, number] }[];
}

/** Aligns two runs' guest views: two trace files, or one guest under two modes (`{ modes: [a, b] }`). */
export function diff(a: string, b: string | { readonly modes: readonly [string, string] } & RunOptions): Diff {
  const sides = typeof b === 'string'
    ? ([traceSide(a), traceSide(b)] as const)
    : ([liveSide(runConfig(a, cliOptions({ ...b, mode: parseMode(b.modes[0]) }))), liveSide(runConfig(a, cliOptions({ ...b, mode: parseMode(b.modes[1]) })))] as const);
  return diffJson([sides[0], sides[1]], diffRuns(sides[0], sides[1])) as Diff;
}

/** A sweep's grid and shard (docs/sweeps.md), as `vlab sweep`'s options name them; every axis has vlab sweep's default. */
export interface SweepOptions {
  readonly guests?: readonly string[];
  /** Also the first N guests the campaign generates (named `generated:K`). */
  readonly generated?: number;
  readonly seeds?: readonly number[];
  readonly modes?: readonly string[];
  readonly cpus?: readonly string[];
  readonly isa?: readonly IsaProfile[];
  readonly maxInsns?: number;
  readonly defines?: Readonly<Record<string, number>>;
  /** `i/n`, numbered from 1; default `1/1`, the whole grid. */
  readonly shard?: string;
  /** Worker threads; default 1 (this thread). */
  readonly jobs?: number;
}

/** Runs a sweep (or one shard of it): the JSON Lines `vlab sweep` writes, its header first, then a line per cell in cell order. */
export async function sweep(options: SweepOptions = {}): Promise<string> {
  const join = (values: readonly (string | number)[] | undefined): string | undefined => values?.join(',');
  const grid = gridOf({
    guests: join(options.guests),
    generated: options.generated === undefined ? undefined : String(options.generated),
    seeds: join(options.seeds),
    modes: join(options.modes),
    cpus: join(options.cpus),
    isa: join(options.isa),
    maxInsns: options.maxInsns === undefined ? undefined : String(options.maxInsns),
    define: Object.entries(options.defines ?? {}).map(([k, v]) => `${k}=${v}`),
  });
  let text = '';
  await runSweep({ grid, shard: parseShard(options.shard ?? '1/1'), jobs: Math.max(1, options.jobs ?? 1), vlab: vlabVersion() }, (line) => void (text += line));
  return text;
}

/** Joins the outputs of a sweep's shards (as `sweep` returns them, in any order): the unsharded sweep's text, byte for byte, and `vlab merge --json`'s summary. */
export function merge(shards: readonly string[]): { readonly text: string; readonly cells: number; readonly rows: readonly SummaryRow[] } {
  const merged = mergeShards(shards.map((text, i) => ({ path: `shard ${i + 1}`, text })));
  return { text: merged.text, cells: merged.header.cells, rows: summarize(merged.header.grid, merged.results) };
}

/** The registered modes, as `vlab list modes --json` prints them. */
export function modes(): { name: string; story: string; correctOn: readonly IsaProfile[]; modifiedGuest: boolean; policy: Record<string, unknown> }[] {
  return MODES.map(modeJson) as ReturnType<typeof modes>;
}

/** The CPU cost profiles, with their cycle costs and sources. */
export function cpus(): { name: string; description: string; cycles: Readonly<Record<string, number>> }[] {
  return [...CPU_PROFILES.values()].map((p) => ({ name: p.name, description: p.description, cycles: p.cycles }));
}

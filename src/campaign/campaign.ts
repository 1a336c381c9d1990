import { getHeapStatistics } from 'node:v8';
import Table from 'cli-table3';
import { VlabError } from '../domain/errors.js';
import { inShard, type Shard } from '../sweep/shard.js';
import { asmSource, checkAsm } from './asm.js';
import { checkCli, cliLine } from './cli-lines.js';
import { checkGuest, guestSource, guestText, minimiseGuest } from './guests.js';
import { FAILURE_CLASSES, type CaseResult, type Failure, type FailureClass } from './outcome.js';
import { caseSeed, Prng } from './prng.js';
import { checkTrace, damage, traceFixture } from './traces.js';
import { assemble } from '../domain/asm/index.js';
import { DEFAULT_DISK_BYTES } from '../domain/config.js';
import { DEFAULT_CPU } from '../domain/cost/profile.js';
import { DEFAULT_MEMORY_BYTES } from '../domain/isa/arch.js';

export const FUZZ_KINDS = ['guests', 'asm', 'traces', 'cli'] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

export interface CampaignOptions {
  readonly seed: number;
  readonly count: number;
  /** Shard i of n, 1-based as `vlab sweep --shard` (src/sweep/shard.ts): this process runs the cases k with k ≡ i − 1 (mod n). */
  readonly shard: Shard;
  /** The heap (JavaScript objects and array buffers) a case may leave its runner holding; default MEMORY_BOUND_BYTES. */
  readonly memoryBoundBytes?: number;
}

/** Issue 12's bound on vlab's memory, applied to the heap of the thread that runs the cases. */
export const MEMORY_BOUND_BYTES = 200 * 2 ** 20;

/** The heap this thread holds now: its isolate's objects and the memory outside it (array buffers). */
function heapBytes(): number {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
}

export interface KindReport {
  readonly kind: FuzzKind;
  tried: number;
  clean: number;
  readonly failures: Failure[];
}

export function parseKind(kind: string): FuzzKind {
  if ((FUZZ_KINDS as readonly string[]).includes(kind)) return kind as FuzzKind;
  throw new VlabError('E_USAGE', `unknown fuzz kind '${kind}' (valid: ${FUZZ_KINDS.join(', ')})`);
}

function traceConfig(): Parameters<typeof traceFixture>[0] {
  const r = assemble('.entry s\ns: mov r1, 0x41\nmov r2, 40\nl: out 0x3f8, r1\nsub r2, 1\njnz l\nmov r0, 0\nout 0xf4, r0\n', { file: 'fuzz.s', defines: {} });
  if (!r.ok) throw new Error('the trace fixture guest does not assemble');
  return { image: r.image, guest: 'fuzz.s', mode: 'native', isa: 'classic', cpu: DEFAULT_CPU, seed: 0, maxInsns: 100_000, input: '', disk: new Uint8Array(DEFAULT_DISK_BYTES), memoryBytes: DEFAULT_MEMORY_BYTES, vlabVersion: 'campaign' };
}

/** Runs `count` cases of one kind; each failure keeps its seed and a minimised reproducer. `onCase` hears of each case tried. */
export async function runKind(kind: FuzzKind, options: CampaignOptions, onCase?: (tried: number) => void): Promise<KindReport> {
  const report: KindReport = { kind, tried: 0, clean: 0, failures: [] };
  const fixture = kind === 'traces' ? traceFixture(traceConfig()) : undefined;
  try {
    for (let k = 0; k < options.count; k++) {
      if (!inShard(k, options.shard)) continue;
      const seed = caseSeed(options.seed, k);
      const r = new Prng(seed);
      let result: CaseResult;
      let input: string;
      switch (kind) {
        case 'guests': {
          const lines = guestSource(r);
          result = checkGuest(lines);
          input = result.failure === undefined ? '' : guestText(minimiseGuest(lines, result.failure));
          break;
        }
        case 'asm':
          input = asmSource(r);
          result = checkAsm(input);
          break;
        case 'traces': {
          const d = damage(r, fixture as NonNullable<typeof fixture>);
          input = d.what;
          result = checkTrace(fixture as NonNullable<typeof fixture>, d.bytes, `case-${k}.vtrace`);
          break;
        }
        case 'cli': {
          const argv = cliLine(r);
          input = `vlab ${argv.map((a) => JSON.stringify(a)).join(' ')}`;
          result = await checkCli(argv);
          break;
        }
      }
      const heap = heapBytes();
      if (result.failure === undefined && heap > (options.memoryBoundBytes ?? MEMORY_BOUND_BYTES)) result = { failure: 'memory over bound', detail: `the runner holds ${(heap / 2 ** 20).toFixed(1)} MiB after the case` };
      report.tried++;
      onCase?.(report.tried);
      if (result.failure === undefined) report.clean++;
      else report.failures.push({ kind, index: k, seed, failure: result.failure, detail: result.detail ?? '', reproducer: input.length > 2000 ? `${input.slice(0, 2000)}…` : input });
    }
  } finally {
    fixture?.dispose();
  }
  return report;
}

/** Reports of shards of one kind, as one report: failures in case order. */
export function joinReports(kind: FuzzKind, shards: readonly KindReport[]): KindReport {
  const failures = shards.flatMap((r) => r.failures).sort((a, b) => a.index - b.index);
  return { kind, tried: shards.reduce((n, r) => n + r.tried, 0), clean: shards.reduce((n, r) => n + r.clean, 0), failures };
}

/** One table: tried, clean, and each failure class, per kind; then every failure with its seed and reproducer. */
export function campaignTable(reports: readonly KindReport[]): string {
  const table = new Table({ head: ['kind', 'tried', 'clean', ...FAILURE_CLASSES], style: { head: [], border: [], compact: true } });
  for (const r of reports) {
    const count = (c: FailureClass): number => r.failures.filter((f) => f.failure === c).length;
    table.push([r.kind, r.tried, r.clean, ...FAILURE_CLASSES.map((c) => count(c))]);
  }
  const failures = reports.flatMap((r) => r.failures).map((f) => `\n${f.kind} seed ${f.seed}: ${f.failure}: ${f.detail}\n  reproducer: ${f.reproducer.split('\n').join('\n    ')}`);
  return `${table.toString()}\n${failures.join('')}`;
}

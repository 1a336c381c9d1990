import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { campaignTable, FUZZ_KINDS, joinReports, runKind, type CampaignOptions, type FuzzKind, type KindReport } from '../src/campaign/campaign.js';
import { processIo } from '../src/cli/io.js';
import { progressBar, type Progress } from '../src/cli/progress.js';
import { parseShard, shardText } from '../src/sweep/shard.js';

/**
 * `npm run campaign [-- --seed S --scale K --guests N --asm N --traces N --cli N --shard i/n --jobs J]`:
 * every kind at once, at issue 12's sizes (10^5 guests, 10^4 sources, 10^4 damaged traces,
 * 10^3 command lines) times K, or N cases of a kind named. Each kind but cli (which drives
 * the CLI in this process) runs as J sub-shards in worker threads (default: the available
 * parallelism); the table is the same for every J.
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const seed = Number(arg('--seed', '1'));
const scale = Number(arg('--scale', '1'));
const shard = parseShard(arg('--shard', '1/1'));
const jobs = Math.max(1, Math.floor(Number(arg('--jobs', String(availableParallelism())))) || 1);
const SIZES: Readonly<Record<FuzzKind, number>> = { guests: 100_000, asm: 10_000, traces: 10_000, cli: 1_000 };

/** Shard i/n (1-based) split J ways: sub-shard j is shard (i + n·j)/(nJ), the cases k with k mod nJ = i − 1 + n·j, which together are shard i's. */
function inWorkers(kind: FuzzKind, options: CampaignOptions, progress: (tried: number) => void): Promise<KindReport> {
  const { index: i, count: n } = options.shard;
  const worker = new URL('../src/campaign/shard-worker.js', import.meta.url);
  let tried = 0;
  const shards = Array.from({ length: jobs }, (_, j) => new Promise<KindReport>((resolve, reject) => {
    const w = new Worker(worker, { workerData: { kind, options: { ...options, shard: { index: i + n * j, count: n * jobs } } } });
    w.on('message', (m: { tried: number } | { report: KindReport }) => {
      if ('report' in m) resolve(m.report);
      else progress((tried += m.tried));
    });
    w.once('error', reject);
  }));
  return Promise.all(shards).then((reports) => joinReports(kind, reports));
}

const reports: KindReport[] = [];
for (const kind of FUZZ_KINDS) {
  const started = Date.now();
  const count = Math.round(Number(arg(`--${kind}`, String(SIZES[kind] * scale))));
  const options = { seed, count, shard };
  const total = Math.ceil(count / shard.count);
  const bar: Progress = progressBar(processIo, total, `${kind} cases`);
  let tenths = 0;
  /** Off a terminal (a log, CI) a line at each tenth, so a long campaign still shows where it is. */
  const progress = (tried: number): void => {
    bar.update(tried);
    if (processIo.errIsTTY === true || tried * 10 < (tenths + 1) * total) return;
    tenths = Math.floor((tried * 10) / total);
    process.stderr.write(`${kind}: ${tried}/${total} cases, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  };
  reports.push(await (jobs > 1 && kind !== 'cli' ? inWorkers(kind, options, progress) : runKind(kind, options, progress)));
  bar.stop();
  process.stderr.write(`${kind}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`campaign seed ${seed}, ${FUZZ_KINDS.map((k, i) => `${k} ${reports[i]?.tried ?? 0}`).join(', ')}, shard ${shardText(shard)}\n${campaignTable(reports)}\n`);
process.exitCode = reports.some((r) => r.failures.length > 0) ? 1 : 0;

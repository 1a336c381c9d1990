import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { campaignTable, FUZZ_KINDS, joinReports, runKind, type CampaignOptions, type FuzzKind, type KindReport } from '../src/campaign/campaign.js';
import { parseShard, shardText } from '../src/sweep/shard.js';

/**
 * `npm run campaign [-- --seed S --scale K --shard i/n --jobs J]`: every kind at once; sizes
 * are per kind at scale 1 (guests 200, asm 2000, traces 2000, cli 500), multiplied by K.
 * Each kind but cli (which drives the CLI in this process) runs as J sub-shards in worker
 * threads (default: the available parallelism); the table is the same for every J.
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

/** Shard i/n (1-based) split J ways: sub-shard j is shard (i + n·j)/(nJ), the cases k with k mod nJ = i − 1 + n·j, which together are shard i's. */
function inWorkers(kind: FuzzKind, options: CampaignOptions): Promise<KindReport> {
  const { index: i, count: n } = options.shard;
  const worker = new URL('../src/campaign/shard-worker.js', import.meta.url);
  const shards = Array.from({ length: jobs }, (_, j) => new Promise<KindReport>((resolve, reject) => {
    const w = new Worker(worker, { workerData: { kind, options: { ...options, shard: { index: i + n * j, count: n * jobs } } } });
    w.once('message', resolve);
    w.once('error', reject);
  }));
  return Promise.all(shards).then((reports) => joinReports(kind, reports));
}

const sizes = { guests: 200, asm: 2000, traces: 2000, cli: 500 } as const;
const reports: KindReport[] = [];
for (const kind of FUZZ_KINDS) {
  const started = Date.now();
  const options = { seed, count: Math.round(sizes[kind] * scale), shard };
  reports.push(await (jobs > 1 && kind !== 'cli' ? inWorkers(kind, options) : runKind(kind, options)));
  process.stderr.write(`${kind}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`campaign seed ${seed}, scale ${scale}, shard ${shardText(shard)}\n${campaignTable(reports)}\n`);
process.exitCode = reports.some((r) => r.failures.length > 0) ? 1 : 0;

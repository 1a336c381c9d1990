import { campaignTable, FUZZ_KINDS, parseShard, runKind, type KindReport } from '../src/campaign/campaign.js';

/**
 * `npm run campaign [-- --seed S --scale K --shard i/n]`: every kind at once; sizes are
 * per kind at scale 1 (guests 200, asm 2000, traces 2000, cli 500), multiplied by K.
 */
const args = process.argv.slice(2);
const arg = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
};
const seed = Number(arg('--seed', '1'));
const scale = Number(arg('--scale', '1'));
const shard = parseShard(arg('--shard', '0/1'));
const sizes = { guests: 200, asm: 2000, traces: 2000, cli: 500 } as const;
const reports: KindReport[] = [];
for (const kind of FUZZ_KINDS) {
  const started = Date.now();
  reports.push(await runKind(kind, { seed, count: Math.round(sizes[kind] * scale), shard }));
  process.stderr.write(`${kind}: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
process.stdout.write(`campaign seed ${seed}, scale ${scale}, shard ${shard.join('/')}\n${campaignTable(reports)}\n`);
process.exitCode = reports.some((r) => r.failures.length > 0) ? 1 : 0;

import { parentPort, workerData } from 'node:worker_threads';
import { runKind, type CampaignOptions, type FuzzKind } from './campaign.js';

/** Cases between two progress messages. */
const EVERY = 50;

/** One shard of a campaign kind in a worker thread (scripts/campaign.ts --jobs): posts its progress, then its report. */
const { kind, options } = workerData as { kind: FuzzKind; options: CampaignOptions };
const report = await runKind(kind, options, (tried) => {
  if (tried % EVERY === 0) parentPort?.postMessage({ tried: EVERY });
});
parentPort?.postMessage({ tried: report.tried % EVERY });
parentPort?.postMessage({ report });

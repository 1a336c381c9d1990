import { parentPort, workerData } from 'node:worker_threads';
import { runKind, type CampaignOptions, type FuzzKind } from './campaign.js';

/** One shard of a campaign kind in a worker thread (scripts/campaign.ts --jobs): posts its report. */
const { kind, options } = workerData as { kind: FuzzKind; options: CampaignOptions };
parentPort?.postMessage(await runKind(kind, options));

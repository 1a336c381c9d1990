import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { assemble } from '../src/domain/asm/index.js';
import { DEFAULT_COST_PROFILE } from '../src/domain/cost/profile.js';
import { recordRun } from '../src/replay/record.js';
import { replayTrace } from '../src/replay/replay.js';

/** Child process of the trace bench: records or replays one trace and reports its peak RSS. */
const [what, path, iterations] = process.argv.slice(2);
if (what === 'record') {
  const file = resolve(dirname(new URL(import.meta.url).pathname), '..', '..', 'bench', 'guests', 'compute.s');
  const r = assemble(readFileSync(file, 'utf8'), { file, defines: { N: Number(iterations) } });
  if (!r.ok) throw new Error('compute.s does not assemble');
  recordRun({
    image: r.image, guest: 'compute', mode: 'native', profile: 'classic', seed: 0, maxInsns: 1e12, input: '',
    disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, cpu: DEFAULT_COST_PROFILE, vlabVersion: 'bench',
  }, path as string);
} else {
  replayTrace(path as string);
}
console.log(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }));

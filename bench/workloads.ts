import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, formatAsmError } from '../src/domain/asm/index.js';
import type { RunConfig } from '../src/domain/config.js';
import { DEFAULT_CPU } from '../src/domain/cost/profile.js';
import type { Image } from '../src/domain/image/image.js';

/** The guests `npm run bench` measures, as run configs. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function image(path: string, defines: Record<string, number> = {}): Image {
  const file = join(root, path);
  const r = assemble(readFileSync(file, 'utf8'), { file, defines, readInclude: (p, from) => readFileSync(resolve(dirname(from), p), 'utf8') });
  if (!r.ok) throw new Error(r.errors.map(formatAsmError).join('\n'));
  return r.image;
}

export function config(img: Image, mode = 'native', guest = 'bench'): RunConfig {
  return {
    image: img, guest, mode, isa: 'virtualizable', cpu: DEFAULT_CPU, seed: 0, maxInsns: 1e12, input: '',
    disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 'bench',
  };
}

/** compute: a tight ALU, load and store loop at CPL 0 (N iterations of 7 instructions). */
export const compute = (n: number, mode = 'native'): RunConfig => config(image('bench/guests/compute.s', { N: n }), mode, 'compute');
export const minios = (mode = 'native', aSteps?: number): RunConfig => config(image('guests/minios.s', aSteps === undefined ? {} : { A_STEPS: aSteps }), mode, 'minios');

/** minios with task A printing 3,000 lines instead of 5: 6.3 M instructions instead of 168 k, so a trace's fixed costs (its header, the final fsync and rename) weigh as they do in a long run. */
export const MINIOS_LONG_A_STEPS = 3_000;

/** compute run 4x longer (56 M instructions, tens of checkpoint intervals): parallel replay pays for its threads' start. */
export const COMPUTE_LONG_N = 8_000_000;

export type Workload = 'compute' | 'compute-long' | 'minios' | 'minios-long';
export const workload = (name: Workload, mode: string, n = 2_000_000): RunConfig =>
  name === 'compute' ? compute(n, mode) : name === 'compute-long' ? compute(COMPUTE_LONG_N, mode) : minios(mode, name === 'minios-long' ? MINIOS_LONG_A_STEPS : undefined);

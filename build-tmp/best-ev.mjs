import { startRun } from './src/engines/run.js';
import { assemble } from './src/domain/asm/index.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
const which = process.argv[2] ?? 'compute';
const file = which === 'compute' ? '/work/main/bench/guests/compute.s' : '/work/main/guests/minios.s';
const image = assemble(readFileSync(file, 'utf8'), { file, defines: { N: 2000000 }, readInclude: (p, from) => readFileSync(resolve(dirname(from), p), 'utf8') }).image;
const config = { image, guest: 'c', mode: process.argv[3] ?? 'native', isa: 'virtualizable', cpu: 'p4-2005', seed: 0, maxInsns: 1e12, input: '', disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 't' };
let best = 0;
for (let i = 0; i < 12; i++) { const t = performance.now(); const r = startRun(config); let n = 0; r.events$.subscribe((b) => (n += b.length)); best = Math.max(best, n / (performance.now() - t) / 1000); }
console.log('evented best', best.toFixed(1), 'M ev/s');

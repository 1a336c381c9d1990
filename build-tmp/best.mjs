import { runBare } from './src/engines/run.js';
import { assemble } from './src/domain/asm/index.js';
import { readFileSync } from 'node:fs';
const file = '/work/main/bench/guests/compute.s';
const image = assemble(readFileSync(file, 'utf8'), { file, defines: { N: 2000000 } }).image;
const config = { image, guest: 'c', mode: process.argv[2] ?? 'native', isa: 'virtualizable', cpu: 'p4-2005', seed: 0, maxInsns: 1e12, input: '', disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 't' };
let best = 0;
for (let i = 0; i < 12; i++) { const t = performance.now(); const s = runBare(config); best = Math.max(best, s.vms[0].retired / (performance.now() - t) / 1000); }
console.log('best', best.toFixed(1), 'M/s');

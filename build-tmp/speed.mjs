import { runBare, startRun } from '/work/main/build-tmp/src/engines/run.js';
import { assemble } from '/work/main/build-tmp/src/domain/asm/index.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
function img(file, defines = {}) {
  const r = assemble(readFileSync(file, 'utf8'), { file, defines, readInclude: (p, from) => readFileSync(resolve(dirname(from), p), 'utf8') });
  return r.image;
}
const which = process.argv[2] ?? 'compute';
const image = which === 'compute' ? img('/work/main/bench/guests/compute.s', { N: 3_000_000 }) : img('/work/main/guests/minios.s');
const config = { image, guest: which, mode: process.argv[3] ?? 'native', isa: 'virtualizable', cpu: 'p4-2005', seed: 0, maxInsns: 1e12, input: '', disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 't' };
for (let rep = 0; rep < 5; rep++) {
  let t = performance.now();
  const s = runBare(config);
  const bare = performance.now() - t;
  t = performance.now();
  const run = startRun(config);
  let events = 0;
  run.events$.subscribe((b) => (events += b.length));
  const ev = performance.now() - t;
  const insns = s.vms[0].retired;
  console.log(which, config.mode, insns, `bare ${(insns / bare / 1000).toFixed(1)}M/s (${bare.toFixed(1)}ms)`, `evented ${(events / ev / 1000).toFixed(1)}M ev/s (${ev.toFixed(1)}ms)`);
}

import { it } from 'vitest';
import { runBare, startRun } from '../src/engines/run.js';
import { assemble, formatAsmError } from '../src/domain/asm/index.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_CPU } from '../src/domain/cost/profile.js';
function img(file: string, defines: Record<string, number> = {}) {
  const r = assemble(readFileSync(file, 'utf8'), { file, defines, readInclude: (p, from) => readFileSync(resolve(dirname(from), p), 'utf8') });
  if (!r.ok) throw new Error(r.errors.map(formatAsmError).join('\n'));
  return r.image;
}
it('speed', () => {
  for (const [name, image] of [['compute', img('bench/guests/compute.s', { N: 2_000_000 })], ['minios', img('guests/minios.s')]] as const) for (const mode of ['native', 'trap-emulate']) {
    const config = { image, guest: name, mode, isa: 'virtualizable' as const, cpu: DEFAULT_CPU, seed: 0, maxInsns: 1e12, input: '', disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 't' };
    for (let rep = 0; rep < 3; rep++) {
      let t = performance.now();
      const s = runBare(config);
      const bare = performance.now() - t;
      t = performance.now();
      const run = startRun(config);
      let events = 0;
      run.events$.subscribe((b) => (events += b.length));
      const ev = performance.now() - t;
      const insns = s.vms[0]!.retired;
      console.log(name, mode, insns, `bare ${(insns / bare / 1000).toFixed(1)}M/s`, `evented ${(events / ev / 1000).toFixed(1)}M ev/s`);
    }
  }
});

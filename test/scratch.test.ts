import { it } from 'vitest';
import { runToSummary } from '../src/engines/summary.js';
import { assemble, formatAsmError } from '../src/domain/asm/index.js';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
function assembleGuest(name: string) {
  const file = resolve('guests', `${name}.s`);
  const r = assemble(readFileSync(file, 'utf8'), { file, defines: {}, readInclude: (p, from) => readFileSync(resolve(dirname(from), p), 'utf8') });
  if (!r.ok) throw new Error(r.errors.map(formatAsmError).join('\n'));
  return r.image;
}
import { DEFAULT_CPU } from '../src/domain/cost/profile.js';

it('scratch', () => {
  for (const guest of ['hello', 'minios']) for (const mode of ['native', 'emulate', 'trap-emulate']) for (const isa of ['classic', 'virtualizable'] as const) {
    const image = assembleGuest(guest);
    const s = runToSummary({ image, guest, mode, isa, cpu: DEFAULT_CPU, seed: 0, maxInsns: 1_000_000, input: '', disk: new Uint8Array(32 * 1024), memoryBytes: 4 * 1024 * 1024, vlabVersion: 't' });
    console.log(guest, mode, isa, s.endReason, s.exitCode, s.guestInsns, s.events, JSON.stringify(s.countsByType), s.cycles, s.guestViewHash);
    if (guest === 'minios' && mode === 'native') console.log(s.console);
  }
});

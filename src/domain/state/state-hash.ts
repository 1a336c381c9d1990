import { Hasher, hashPages } from './hash.js';
import type { MachineState } from './machine.js';

/** Hash of everything in the state: equal hashes mean equal machines (replay fidelity). */
export function stateHash(s: MachineState): string {
  const h = new Hasher().words(s.cpu).words(s.vcpu).words(s.dev).words(s.diskBuffer);
  hashPages(h, s.memory);
  hashPages(h, s.disk);
  for (const key of [...s.shadow.keys()].sort((x, y) => x - y)) h.word(key).word(s.shadow.get(key) as number);
  h.string(s.console).string(s.input).number(s.seq).number(s.retired).number(s.ticks).number(s.cycles);
  h.string(s.outcome?.reason ?? '').word(s.outcome?.exitCode ?? 0);
  return h.digest();
}

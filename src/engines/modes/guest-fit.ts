import type { RunConfig } from '../../domain/config.js';
import { VlabError } from '../../domain/errors.js';
import { isParavirtualized } from '../../domain/image/image.js';
import type { ModeSpec } from './spec.js';

/**
 * A mode for modified guests runs only paravirtualized images, and every other mode only
 * unmodified ones: each refusal is one line saying what would run.
 */
export function refuseMismatchedGuest(spec: ModeSpec, config: Pick<RunConfig, 'image' | 'guest'>): void {
  const pv = isParavirtualized(config.image);
  if (spec.modifiedGuest && !pv) {
    throw new VlabError('E_GUEST_REFUSED', `mode '${spec.name}' runs only a paravirtualized guest, and '${config.guest}' is unmodified (build it with -D PV=1: minios-pv)`);
  }
  if (!spec.modifiedGuest && pv) {
    throw new VlabError('E_GUEST_REFUSED', `'${config.guest}' is a paravirtualized guest: it calls a hypervisor, so it runs only under --mode paravirt, not '${spec.name}'`);
  }
  if (config.image.meta.pvdrivers === 1 && spec.guestBuild !== 'pvdrivers') {
    throw new VlabError('E_GUEST_REFUSED', `'${config.guest}' has paravirtual drivers, which need their backend: it runs only under --mode hybrid, not '${spec.name}'`);
  }
}

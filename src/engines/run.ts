import type { Observable } from 'rxjs';
import type { Mode, RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import { VlabError } from '../domain/errors.js';
import { emulatePlatform } from './emulate/emulate.js';
import { createRun, type PlatformFactory, type Run } from './loop.js';
import { nativePlatform } from './native/native.js';
import { trapEmulatePlatform } from './trap-emulate/trap-emulate.js';

export const PLATFORMS: Partial<Record<Mode, PlatformFactory>> = {
  native: nativePlatform,
  emulate: emulatePlatform,
  'trap-emulate': trapEmulatePlatform,
};

export const IMPLEMENTED_MODES = Object.keys(PLATFORMS) as Mode[];

export function startRun(config: RunConfig): Run {
  const platform = PLATFORMS[config.mode];
  if (platform === undefined) {
    throw new VlabError('E_MODE_UNAVAILABLE', `mode ${config.mode} is not implemented yet (implemented: ${IMPLEMENTED_MODES.join(', ')})`);
  }
  return createRun(config, platform);
}

/**
 * Runs a guest: a synchronous, deterministic stream of event batches.
 *
 * @example run(config).subscribe((batch) => count += batch.length)
 */
export function run(config: RunConfig): Observable<EventBatch> {
  return startRun(config).events$;
}

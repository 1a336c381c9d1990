import type { RunContext } from '../loop.js';
import type { Platform } from '../platform.js';
import { directPlatform } from './direct.js';

/** Bare metal: the guest kernel runs at CPL 0 on the machine. */
export function nativePlatform(ctx: RunContext): Platform {
  return directPlatform(ctx);
}

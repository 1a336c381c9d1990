import { TypeCode } from '../../domain/events/event.js';
import type { RunContext } from '../loop.js';
import { directPlatform } from '../native/direct.js';
import type { Platform } from '../platform.js';

/**
 * Pure emulation (Bochs-style): the VMM interprets every guest instruction on a virtual
 * CPU, so every privileged and sensitive one is emulated correctly, at an interpreter's
 * price per instruction.
 */
export function emulatePlatform(ctx: RunContext): Platform {
  return directPlatform(ctx, { sensitiveType: TypeCode.emulate, perInsnCycles: ctx.costs.cycles.interpret });
}

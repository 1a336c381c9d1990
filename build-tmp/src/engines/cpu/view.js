import { Eff } from '../../domain/events/effects.js';
export function directView(regs, log) {
    return {
        get: (reg) => regs[reg] >>> 0,
        set: (reg, value) => {
            regs[reg] = value;
            log.effect(Eff.CPU, reg, value >>> 0);
        },
    };
}

import type { MachineState } from '../../domain/state/machine.js';

/** Events and virtual cycles each VM used of the CPU, its world switches away included; they add up to the run's. */
export function vmShares(state: MachineState): { events: number; cycles: number }[] {
  const s = state.schedule;
  return state.vms.map((vm, i) => (i === s.vm ? { events: vm.share.events + state.seq - s.seq, cycles: vm.share.cycles + state.cycles - s.cycles } : { ...vm.share }));
}

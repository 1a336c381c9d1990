import type { GuestPort } from '../../cpu/port.js';
import type { End, Env, ModeEngine, VmcallEntry, VmcallService } from '../../env.js';
import { Hypercall } from '../../pv/abi.js';
import { serveHypercall, type HypercallOutcome, type HypervisorPort } from '../../pv/hypercalls.js';
import { serveBlockRing } from '../../pv/ring.js';
import { sharedInfoAddress } from '../../pv/shared-info.js';

/** The engine that virtualizes the CPU and memory of an unmodified kernel, given the service for its paravirtual drivers' vmcalls. */
export type CpuMemoryEngine = (env: Env, vmcall?: VmcallService) => ModeEngine;

/** What a guest addition may call: the shared page for its ring and the notification (kick). */
const DRIVER_HYPERCALLS: ReadonlySet<number> = new Set([Hypercall.SHARED_INFO, Hypercall.EVENT_CHANNEL_OP]);

/**
 * Hybrid (virtio, Russell 2008; Xen's PV drivers on HVM): an unmodified kernel on a
 * CPU-and-memory engine, with paravirtual drivers installed in it. A driver's vmcall is
 * the only way it reaches the VMM on purpose: the block ring's kick, served by the backend.
 * An image without the drivers (`.guest pvdrivers, 1`) runs as on the CPU-and-memory
 * engine alone: its vmcall is #UD, as on bare metal.
 */
export function hybridEngine(env: Env, cpuMemory: CpuMemoryEngine): ModeEngine {
  if (env.config.image.meta.pvdrivers !== 1) return cpuMemory(env);
  const { vm, log } = env;
  const outcome: HypercallOutcome = { result: 0, flushTlb: false, invlpg: -1, kick: false, exit: undefined };
  const memoryBytes = vm.memory.size;
  const paging = { memoryBytes, isPageTable: (frame: number): boolean => frame < memoryBytes >>> 12 && vm.traced.get(frame) !== 0 };
  function driverCall(port: GuestPort, pc: number, word: number, imm: number, entry: VmcallEntry): End | undefined {
    const hv: HypervisorPort = { vm, log, vmIndex: env.vmIndex, core: port.core, view: port.view, memoryBytes, paging, entry };
    serveHypercall(hv, pc, word, imm, outcome, DRIVER_HYPERCALLS);
    if (outcome.kick) serveBlockRing(hv, sharedInfoAddress(vm) + 4096);
    return undefined;
  }
  return cpuMemory(env, driverCall);
}

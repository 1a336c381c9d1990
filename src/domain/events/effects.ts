import { effectCode } from '../state/schema.js';

/** Effect codes by name, for emitters (the effects themselves are declared by schema.ts). */
export const Eff = {
  CPU: effectCode('cpu.set'),
  VCPU: effectCode('vcpu.set'),
  DEV: effectCode('dev.set'),
  DISK_BUFFER: effectCode('diskBuffer.set'),
  MEM8: effectCode('memory.write8'),
  MEM32: effectCode('memory.write32'),
  DISK8: effectCode('disk.write8'),
  DISK32: effectCode('disk.write32'),
  SHADOW_SET: effectCode('shadow.set'),
  SHADOW_CLEAR: effectCode('shadow.clear'),
  SHADOW_FLUSH: effectCode('shadow.flush'),
  TRACE: effectCode('traced.set'),
  UNTRACE: effectCode('traced.clear'),
  UNTRACE_ALL: effectCode('traced.flush'),
  CONSOLE: effectCode('console.append'),
  TLB_MODEL: effectCode('tlbModel.set'),
  TLB_MODEL_CLEAR: effectCode('tlbModel.clear'),
  TC_SET: effectCode('tc.set'),
  TC_CLEAR: effectCode('tc.clear'),
  TC_FLUSH: effectCode('tc.flush'),
  TC_FAULTS: effectCode('tcFaults.set'),
} as const;

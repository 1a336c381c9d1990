import type { IsaProfile } from '../../domain/isa/table.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { CoreContext } from './context.js';
import type { EventLog } from './log.js';
import type { CpuView } from './view.js';

/**
 * What a system instruction or a delivery runs against: the guest's CPU (a view), the
 * guest's address space (a core context: its TLB and memory), the VM's devices, and the
 * log. The hardware and a VMM emulating on the guest's behalf differ only in these.
 */
export interface GuestPort {
  readonly core: CoreContext;
  readonly view: CpuView;
  readonly log: EventLog;
  readonly vm: LiveVm;
  readonly vmIndex: number;
  readonly isa: IsaProfile;
  /** Added to the host's counter by rdtsc (VT-x's TSC offsetting); none elsewhere. */
  readonly tscOffset?: number;
}

import type { Command } from 'commander';
import { MODES, type Mode } from '../../domain/config.js';
import { COST_PROFILES } from '../../domain/cost/profile.js';
import { VlabError } from '../../domain/errors.js';
import { PROFILES, type Profile } from '../../domain/isa/table.js';
import { IMPLEMENTED_MODES } from '../../engines/run.js';
import { listGuests } from '../guest.js';
import type { Io } from '../io.js';

export const MODE_DESCRIPTIONS: Readonly<Record<Mode, string>> = {
  native: 'bare metal: the guest kernel runs at CPL 0 on the machine',
  emulate: 'pure emulation: the VMM interprets every guest instruction (Bochs)',
  'trap-emulate': 'the kernel runs deprivileged at CPL 1; privileged instructions trap to the VMM (Popek & Goldberg)',
  'binary-translation': 'kernel code translated on the fly, user code direct (VMware before 2006)',
  'hardware-assist': 'VT-x / AMD-V: non-root mode, VM exits by VMCS controls',
  paravirt: 'a modified kernel calls the hypervisor with hypercalls (Xen)',
  hybrid: 'hardware assist with paravirtual drivers (guest additions, virtio)',
};

const PROFILE_DESCRIPTIONS: Readonly<Record<Profile, string>> = {
  classic: 'x86-like: popf, pushf, sgdt, sidt, smsw, mov r,cs, iret are sensitive but unprivileged',
  virtualizable: 'every sensitive instruction is privileged (Popek & Goldberg Theorem 1 holds)',
};

const LISTS = ['modes', 'guests', 'isa', 'cpus'] as const;

function listing(what: string): string[] {
  switch (what) {
    case 'modes':
      return MODES.map((m) => `${m.padEnd(20)} ${IMPLEMENTED_MODES.includes(m) ? '          ' : '(planned) '}${MODE_DESCRIPTIONS[m]}`);
    case 'guests':
      return listGuests();
    case 'isa':
      return PROFILES.map((p) => `${p.padEnd(14)} ${PROFILE_DESCRIPTIONS[p]}`);
    case 'cpus':
      return Object.values(COST_PROFILES).map((p) => `${p.name.padEnd(10)} ${p.description}`);
    default:
      throw new VlabError('E_USAGE', `cannot list '${what}' (valid: ${LISTS.join(', ')})`);
  }
}

export function registerList(program: Command, io: Io): void {
  program
    .command('list')
    .argument('<what>', LISTS.join(' | '))
    .description('list the modes, guests, ISA profiles or CPU cost profiles')
    .action((what: string) => io.out(`${listing(what).join('\n')}\n`));
}

import type { Command } from 'commander';
import { CPU_PROFILES } from '../../domain/cost/profile.js';
import { COST_KEYS } from '../../domain/cost/keys.js';
import { VlabError } from '../../domain/errors.js';
import { ISA_PROFILES, type IsaProfile } from '../../domain/isa/table.js';
import { MODES } from '../../engines/modes/registry.js';
import { INTERCEPT_CLASSES, type ModeSpec } from '../../engines/modes/spec.js';
import { listGuests } from '../guest.js';
import type { Io } from '../io.js';

const PROFILE_DESCRIPTIONS: Readonly<Record<IsaProfile, string>> = {
  classic: 'x86-like: popf, pushf, sgdt, sidt, smsw, mov r,cs, iret are sensitive but unprivileged',
  virtualizable: 'every sensitive instruction is privileged (Popek & Goldberg Theorem 1 holds)',
};

const LISTS = ['modes', 'guests', 'isa', 'cpus'] as const;

/** A mode as `vlab list modes --json` prints it: the registry entry's data. */
export function modeJson(m: ModeSpec): Record<string, unknown> {
  return { name: m.name, story: m.story, correctOn: m.correctOn, modifiedGuest: m.modifiedGuest, hypervisor: m.hypervisor ?? null, policy: Object.fromEntries(INTERCEPT_CLASSES.map((c) => [c, m.policy[c]])) };
}

function json(what: string): unknown {
  switch (what) {
    case 'modes': return MODES.map(modeJson);
    case 'guests': return listGuests();
    case 'isa': return ISA_PROFILES.map((p) => ({ name: p, description: PROFILE_DESCRIPTIONS[p] }));
    case 'cpus': return [...CPU_PROFILES.values()].map((p) => ({ name: p.name, description: p.description, cycles: p.cycles, sources: p.sources }));
    default: throw new VlabError('E_USAGE', `cannot list '${what}' (valid: ${LISTS.join(', ')})`);
  }
}

function text(what: string): string[] {
  switch (what) {
    case 'modes': return MODES.map((m) => `${m.name.padEnd(20)} ${m.story} (equivalent to native on: ${m.correctOn.join(', ')})`);
    case 'guests': return listGuests();
    case 'isa': return ISA_PROFILES.map((p) => `${p.padEnd(14)} ${PROFILE_DESCRIPTIONS[p]}`);
    case 'cpus':
      return [...CPU_PROFILES.values()].flatMap((p) => [`${p.name}: ${p.description}`, ...COST_KEYS.map((k) => `  ${k.padEnd(12)} ${String(p.cycles[k]).padStart(6)}  ${p.sources[k]}`)]);
    default: throw new VlabError('E_USAGE', `cannot list '${what}' (valid: ${LISTS.join(', ')})`);
  }
}

export function registerList(program: Command, io: Io): void {
  program
    .command('list')
    .argument('<what>', LISTS.join(' | '))
    .description('list the modes (with their intercept policies), guests, ISA profiles or CPU profiles (with sources)')
    .option('--json', 'print JSON')
    .action((what: string, options: { json?: boolean }) => {
      io.out(options.json === true ? `${JSON.stringify(json(what))}\n` : `${text(what).join('\n')}\n`);
    });
}

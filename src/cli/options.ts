import type { Command } from 'commander';
import { CPU_PROFILES, DEFAULT_CPU } from '../domain/cost/profile.js';
import { ISA_PROFILES } from '../domain/isa/table.js';
import { MODE_NAMES } from '../engines/modes/registry.js';
import { VMCS_KEYS } from '../engines/vmx/controls.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The options of every command that runs a guest (run, compare, record, diff). */
export function runOptions(command: Command, withMode = true): Command {
  if (withMode) command.option('--mode <mode>', `virtualization mode: ${MODE_NAMES.join(' | ')}`, 'native');
  return command
    .option('--isa <profile>', `ISA profile: ${ISA_PROFILES.join(' | ')}`, 'classic')
    .option('--max-insns <n>', 'budget of guest instructions')
    .option('--input <text>', 'console input')
    .option('--disk <file>', 'disk image')
    .option('--cpu <profile>', `CPU cost profile: ${[...CPU_PROFILES.keys()].join(' | ')}`, DEFAULT_CPU)
    .option('--vmcs <KEY=VALUE,...>', `hardware-assist: VMCS controls over the defaults (${VMCS_KEYS.join(', ')})`)
    .option('-D, --define <NAME=VALUE>', 'assembler symbol (repeatable)', collect);
}

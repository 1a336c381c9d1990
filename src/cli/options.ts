import type { Command } from 'commander';
import { MODES } from '../domain/config.js';
import { DEFAULT_COST_PROFILE } from '../domain/cost/profile.js';
import { PROFILES } from '../domain/isa/table.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The options of every command that runs a guest (run, compare, record, diff). */
export function runOptions(command: Command, withMode = true): Command {
  if (withMode) command.option('--mode <mode>', `virtualization mode: ${MODES.join(' | ')}`, 'native');
  return command
    .option('--isa <profile>', `ISA profile: ${PROFILES.join(' | ')}`, 'classic')
    .option('--max-insns <n>', 'budget of guest instructions')
    .option('--seed <s>', 'seed of the run (recorded in the config)')
    .option('--input <text>', 'console input')
    .option('--disk <file>', 'disk image')
    .option('--cpu <profile>', 'CPU cost profile', DEFAULT_COST_PROFILE)
    .option('-D, --define <NAME=VALUE>', 'assembler symbol (repeatable)', collect);
}

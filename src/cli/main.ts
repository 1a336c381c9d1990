import { Command, CommanderError } from 'commander';
import { VlabError } from '../domain/errors.js';
import { registerAsm } from './commands/asm.js';
import { registerCompare } from './commands/compare.js';
import { registerDebug } from './commands/debug.js';
import { registerDiff } from './commands/diff.js';
import { registerExport } from './commands/export.js';
import { registerFuzz } from './commands/fuzz.js';
import { registerInspect } from './commands/inspect.js';
import { registerRecord } from './commands/record.js';
import { registerReplay } from './commands/replay.js';
import { registerList } from './commands/list.js';
import { registerRun } from './commands/run.js';
import { registerTc } from './commands/tc.js';
import { registerStat } from './commands/stat.js';
import { registerSweep } from './commands/sweep.js';
import { registerMerge } from './commands/merge.js';
import { EXIT, errorExit, exitTableText } from './exit-codes.js';
import { OutputClosed, processIo, setColourFlag, type Io } from './io.js';
import { vlabVersion } from './package-info.js';

/** Every command of the CLI registers itself here. */
const COMMANDS: readonly ((program: Command, io: Io, setExit: (code: number) => void) => void)[] = [
  registerRun, registerCompare, registerStat, registerRecord, registerReplay, registerInspect, registerExport, registerDiff, registerDebug, registerAsm, registerList, registerTc, registerFuzz, registerSweep, registerMerge,
];

function program(io: Io, setExit: (code: number) => void): Command {
  const cli = new Command('vlab')
    .description('a laboratory for CPU virtualization: one guest, every way of virtualizing it, every event')
    .version(vlabVersion())
    .option('--no-color', 'no colour (also NO_COLOR=1; FORCE_COLOR=1 forces it)')
    .hook('preAction', (root) => setColourFlag((root.opts() as { color?: boolean }).color))
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText('after', `\nResults go to stdout; diagnostics and progress to stderr.\n\n${exitTableText()}\n`);
  for (const register of COMMANDS) register(cli, io, setExit);
  for (const command of cli.commands) command.exitOverride().showSuggestionAfterError(true).configureOutput({ writeOut: io.out, writeErr: io.err });
  return cli;
}

function validCommands(cli: Command): string {
  return cli.commands.map((c) => c.name()).join(', ');
}

/** Runs the CLI; returns the exit code. User mistakes are one line on stderr, never a stack trace. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let exitCode = 0;
  const cli = program(io, (code) => (exitCode = code));
  try {
    await cli.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof OutputClosed) return exitCode;
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (e.code === 'commander.unknownCommand') io.err(`vlab: valid commands: ${validCommands(cli)}\n`);
      return e.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (e instanceof VlabError) {
      io.err(`vlab: ${e.message}\n`);
      return errorExit(e.code);
    }
    io.err(`vlab: internal error, please report it:\n${(e as Error).stack ?? String(e)}\n`);
    return EXIT.SOFTWARE;
  }
}

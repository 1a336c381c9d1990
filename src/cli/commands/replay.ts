import type { Command } from 'commander';
import { VlabError } from '../../domain/errors.js';
import { reexecute } from '../../replay/reexec.js';
import { replayTrace } from '../../replay/replay.js';
import type { Io } from '../io.js';
import { runReport } from '../summary-table.js';

export function registerReplay(program: Command, io: Io): void {
  program
    .command('replay')
    .argument('<trace>', 'a trace file written by vlab record')
    .description('fold the trace into machine state (no engine), checking every checkpoint; or re-execute and compare')
    .option('--reexec', 'run the engine again from the recorded config and compare event by event')
    .option('--salvage', 'replay the intact prefix of a damaged trace')
    .option('--json', 'print the summary as one JSON object')
    .action((trace: string, options: { reexec?: boolean; salvage?: boolean; json?: boolean }) => {
      if (options.reexec === true) {
        const result = reexecute(trace);
        if (result.divergence === undefined) {
          io.out(`${trace}: re-execution matches the trace, ${result.events.toLocaleString('en-US')} events\n`);
          return;
        }
        const d = result.divergence;
        const lines = [`first divergent event: #${d.index}`, `  recorded: ${d.recorded}`, `  live:     ${d.live}`, ...d.difference.map((x) => `  ${x}`)];
        throw new VlabError('E_DIVERGENCE', `${trace}: re-execution diverges from the trace\n${lines.join('\n')}`);
      }
      const result = replayTrace(trace, options.salvage === true);
      io.out(options.json === true ? `${JSON.stringify({ ...result.summary, checkpoints: result.checkpoints })}\n` : runReport(result.summary, io.isTTY));
      if (result.damage !== undefined) {
        io.err(`vlab: salvaged ${result.summary.events.toLocaleString('en-US')} events before the damage: ${result.damage.message}\n`);
      } else if (!result.complete) {
        io.err(`vlab: ${trace} has no index: the recording was cut short; replayed the ${result.summary.events.toLocaleString('en-US')} events it holds\n`);
      } else if (options.json !== true) {
        io.out(`${result.checkpoints} checkpoints verified\n`);
      }
    });
}

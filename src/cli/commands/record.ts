import type { Command } from 'commander';
import { DEFAULT_CHECKPOINT_EVERY } from '../../replay/format.js';
import { recordRun } from '../../replay/record.js';
import { checkOutput } from '../files.js';
import { parseCount, runConfig, type RunOptions } from '../config.js';
import { vmConfigs } from '../../domain/config.js';
import { wantColour, type Io } from '../io.js';
import { progressBar } from '../progress.js';
import { runOptions } from '../options.js';
import { vmOptions } from '../vms.js';
import { runReport } from '../summary-table.js';
import { measureRun } from '../../engines/kinds.js';
import { reportData } from '../../report/model.js';
import { writeReport } from '../report-file.js';

export function registerRecord(program: Command, io: Io): void {
  vmOptions(runOptions(program.command('record').argument('[guest]', 'a .s file, an image, or a guest name; VM 0 when there are several')))
    .description('run a guest and record it to a trace: its config and state checkpoints (with --events, every event too)')
    .requiredOption('-o, --output <trace>', 'the trace file to write')
    .option('--checkpoint-every <events>', 'events between state checkpoints', String(DEFAULT_CHECKPOINT_EVERY))
    .option('--events', 'also record every event, for replay by folding with no engine')
    .option('--json', 'print the summary as one JSON object')
    .option('--html <file>', 'also write the HTML report of the run (its cycles by kind and reason, its timeline) to this file')
    .action((guest: string | undefined, options: RunOptions & { output: string; checkpointEvery: string; events?: boolean; json?: boolean; html?: string }) => {
      checkOutput(options.output, 'trace');
      if (options.html !== undefined) checkOutput(options.html, 'report');
      const config = runConfig(guest, options);
      const bar = progressBar(io, vmConfigs(config).reduce((sum, vm) => sum + vm.maxInsns, 0), 'guest instructions (budget)');
      const onProgress = (insns: number, bytes: number): void => bar.update(insns, `${(bytes / 1e6).toFixed(1)} MB`);
      const summary = recordRun(config, options.output, { checkpointEvery: parseCount('--checkpoint-every', options.checkpointEvery), events: options.events === true, onProgress });
      bar.stop();
      io.out(options.json === true ? `${JSON.stringify(summary)}\n` : runReport(summary, wantColour(io)));
      if (options.html !== undefined) {
        // The run again, with its events measured: a run is a function of its config, so it is the same run.
        writeReport(options.html, reportData(`${config.guest} under ${config.mode} (ISA ${config.isa}, ${config.cpu})`, [measureRun(config)]));
        (options.json === true ? io.err : io.out)(`report: ${options.html}\n`);
      }
    });
}

import type { Command } from 'commander';
import { runToSummary } from '../../engines/summary.js';
import { runConfig } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { runReport } from '../summary-table.js';

export function registerRun(program: Command, io: Io): void {
  runOptions(program.command('run').argument('<guest>', 'a .s file, an image, or a guest name (vlab list guests)'))
    .description('run a guest under one virtualization mode and summarize the run')
    .option('--json', 'print one JSON object with the summary, and nothing else')
    .action((guest: string, options: Parameters<typeof runConfig>[1] & { json?: boolean }) => {
      const summary = runToSummary(runConfig(guest, options));
      io.out(options.json === true ? `${JSON.stringify(summary)}\n` : runReport(summary, io.isTTY));
    });
}

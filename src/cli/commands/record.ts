import type { Command } from 'commander';
import { recordRun } from '../../replay/record.js';
import { parseCount, runConfig, type RunOptions } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { runReport } from '../summary-table.js';

/** A progress line on a terminal, redrawn in place; nothing when stderr is piped. */
function progress(maxInsns: number): ((insns: number, bytes: number) => void) | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  return (insns, bytes) => {
    const fraction = Math.min(1, insns / maxInsns);
    const bar = '#'.repeat(Math.round(fraction * 30)).padEnd(30, '.');
    process.stderr.write(`\r[${bar}] ${insns.toLocaleString('en-US')} guest instructions, ${(bytes / 1e6).toFixed(1)} MB`);
  };
}

export function registerRecord(program: Command, io: Io): void {
  runOptions(program.command('record').argument('<guest>', 'a .s file, an image, or a guest name'))
    .description('run a guest and record every event to a trace file')
    .requiredOption('-o, --output <trace>', 'the trace file to write')
    .option('--checkpoint-every <events>', 'events between state checkpoints', String(1 << 16))
    .option('--json', 'print the summary as one JSON object')
    .action((guest: string, options: RunOptions & { output: string; checkpointEvery: string; json?: boolean }) => {
      const config = runConfig(guest, options);
      const onProgress = progress(config.maxInsns);
      const summary = recordRun(config, options.output, { checkpointEvery: parseCount('--checkpoint-every', options.checkpointEvery), onProgress });
      if (onProgress !== undefined) process.stderr.write('\n');
      io.out(options.json === true ? `${JSON.stringify(summary)}\n` : runReport(summary, io.isTTY));
    });
}

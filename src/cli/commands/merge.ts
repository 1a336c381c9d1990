import type { Command } from 'commander';
import { mergeShards } from '../../sweep/merge.js';
import { summarize, summaryText } from '../../sweep/summary.js';
import { INPUT_LIMITS, readInput, writeOutput } from '../files.js';
import type { Io } from '../io.js';

export function registerMerge(program: Command, io: Io): void {
  program
    .command('merge')
    .argument('<files...>', 'the outputs of vlab sweep --shard i/n, in any order')
    .description('join sweep shards into one result (every cell once, in cell order) and summarize it')
    .option('-o, --output <file>', 'write the merged JSON Lines to FILE: byte for byte what the unsharded sweep writes')
    .option('--json', 'print the summary as one JSON object')
    .addHelpText('after', '\nA duplicate or missing cell, a line that is not its cell of the grid, or shards of different\nsweeps are one error line and exit status 65.')
    .action((files: string[], options: { output?: string; json?: boolean }) => {
      const merged = mergeShards(files.map((path) => ({ path, text: readInput(path, 'sweep results', INPUT_LIMITS.sweepResults).toString('utf8') })));
      if (options.output !== undefined) writeOutput(options.output, 'merged sweep', Buffer.from(merged.text, 'utf8'));
      const rows = summarize(merged.header.grid, merged.results);
      io.out(options.json === true ? `${JSON.stringify({ cells: merged.header.cells, grid: merged.header.grid, rows })}\n` : summaryText(rows));
    });
}

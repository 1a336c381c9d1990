import type { Command } from 'commander';
import { campaignTable, parseKind, runKind } from '../../campaign/campaign.js';
import { parseShard } from '../../sweep/shard.js';
import { parseCount } from '../config.js';
import type { Io } from '../io.js';

export function registerFuzz(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('fuzz')
    .argument('<kind>', 'guests, asm, traces or cli')
    .description('run generated adversarial cases of one kind and print the table of outcomes (exit 1 on any failure)')
    .option('--seed <s>', 'campaign seed', '1')
    .option('--count <n>', 'cases to generate', '100')
    .option('--shard <i/n>', 'run only the cases whose number ≡ i − 1 (mod n), 1 ≤ i ≤ n (as vlab sweep)', '1/1')
    .action(async (kind: string, options: { seed: string; count: string; shard: string }) => {
      const report = await runKind(parseKind(kind), { seed: parseCount('--seed', options.seed), count: parseCount('--count', options.count), shard: parseShard(options.shard) });
      io.out(`${campaignTable([report])}\n`);
      if (report.failures.length > 0) setExit(1);
    });
}

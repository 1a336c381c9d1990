import type { Command } from 'commander';
import { tcListing } from '../../engines/bt/listing.js';
import { parseCount, runConfig } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';

export function registerTc(program: Command, io: Io): void {
  runOptions(program.command('tc').argument('<guest>', 'a .s file, an image, or a guest name (vlab list guests)'), false)
    .description('run a guest under binary translation and show its translation cache: each block beside its guest code, IDENT / inline / callout, with counts')
    .option('--mode <mode>', 'a mode with a translation cache', 'binary-translation')
    .option('--at <pc>', 'only the block holding this guest pc')
    .action((guest: string, options: Parameters<typeof runConfig>[1] & { at?: string }) => {
      const at = options.at === undefined ? undefined : parseCount('--at', options.at);
      io.out(tcListing(runConfig(guest, options), at));
    });
}

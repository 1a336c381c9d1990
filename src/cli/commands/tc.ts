import type { Command } from 'commander';
import { tcListing } from '../../engines/bt/listing.js';
import { parseCount, parseVmIndex, runConfig } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { vmOptions } from '../vms.js';

export function registerTc(program: Command, io: Io): void {
  vmOptions(runOptions(program.command('tc').argument('<guest>', 'a .s file, an image, or a guest name (vlab list guests); VM 0 when there are several'), false))
    .description('run a guest under binary translation and show its translation cache: each block beside its guest code, IDENT / inline / callout, with counts')
    .option('--mode <mode>', 'a mode with a translation cache', 'binary-translation')
    .option('--at <pc>', 'only the block holding this guest pc')
    .option('--vm-index <n>', 'several VMs: the blocks of this VM (default 0)')
    .action((guest: string, options: Parameters<typeof runConfig>[1] & { at?: string; vmIndex?: string }) => {
      const at = options.at === undefined ? undefined : parseCount('--at', options.at);
      const config = runConfig(guest, options);
      io.out(tcListing(config, at, parseVmIndex(options.vmIndex, config, guest)));
    });
}

import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { CPU_PROFILES } from '../../domain/cost/profile.js';
import { ISA_PROFILES } from '../../domain/isa/table.js';
import { MODE_NAMES } from '../../engines/modes/registry.js';
import { gridOf, type GridOptions } from '../../sweep/grid-file.js';
import { skippedPairs } from '../../sweep/grid.js';
import { parseShard } from '../../sweep/shard.js';
import { sweep } from '../../sweep/sweep.js';
import { parseCount } from '../config.js';
import { openOutput } from '../files.js';
import type { Io } from '../io.js';
import { vlabVersion } from '../package-info.js';
import { progressBar } from '../progress.js';
import { VlabError } from '../../domain/errors.js';

/** Worker threads at most: each holds its own copy of vlab (tens of MB). */
const MAX_JOBS = 256;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface SweepOptions extends GridOptions {
  readonly shard: string;
  readonly jobs?: string;
  readonly output?: string;
}

function parseJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const jobs = parseCount('--jobs', text);
  if (jobs < 1 || jobs > MAX_JOBS) throw new VlabError('E_USAGE', `--jobs needs 1 to ${MAX_JOBS}, got '${text}'`);
  return jobs;
}

export function registerSweep(program: Command, io: Io): void {
  program
    .command('sweep')
    .description('run a grid of guests × modes × CPU profiles × ISA profiles × seeds on every core: one JSON line per cell')
    .option('--grid <file>', 'a JSON grid: { guests, generated, seeds, cpus, isa, modes, maxInsns, define }; options override its keys')
    .option('--guests <list>', 'comma-separated guests (default: minios, unless --generated)')
    .option('--generated <n>', 'also the first N guests the campaign generates (vlab fuzz guests), named generated:K')
    .option('--seeds <list>', 'campaign seeds of the generated guests (default: 1)')
    .option('--modes <list>', `comma-separated modes (default: all: ${MODE_NAMES.join(', ')})`)
    .option('--cpus <list>', `comma-separated CPU profiles (${[...CPU_PROFILES.keys()].join(', ')}; default: the first)`)
    .option('--isa <list>', `comma-separated ISA profiles (${ISA_PROFILES.join(', ')}; default: classic)`)
    .option('--max-insns <n>', 'budget of guest instructions (default: vlab run\'s; 5,000 for generated guests)')
    .option('-D, --define <NAME=VALUE>', 'assembler symbol for the named guests (repeatable)', collect)
    .option('--shard <i/n>', 'run only the cells whose index ≡ i − 1 (mod n), 1 ≤ i ≤ n', '1/1')
    .option('-j, --jobs <n>', 'worker threads (default: the cores available)')
    .option('-o, --output <file>', 'write the JSON Lines to FILE (through a temporary file renamed at the end) instead of stdout')
    .addHelpText('after', [
      '',
      'The first line is a header: { sweep, vlab, grid, cells, shard }; then one line per cell, in',
      'cell order whatever the threads do: { cell, guest, mode, cpu, isa, seed, endReason, exitCode,',
      'guestInsns, events, cycles, cyclesByType, countsByType, guestViewHash, sameAsNative,',
      'expectedSame, cyclesVsNative }. Every cell is deterministic: a re-run shard is byte-identical.',
      'vlab merge joins the shards (docs/sweeps.md).',
    ].join('\n'))
    .action(async (options: SweepOptions) => {
      const grid = gridOf(options);
      const plan = { grid, shard: parseShard(options.shard), jobs: parseJobs(options.jobs), vlab: vlabVersion() };
      const output = options.output === undefined ? undefined : openOutput(options.output, 'sweep results');
      let bar: ReturnType<typeof progressBar> | undefined;
      try {
        await sweep(plan, (text) => (output === undefined ? io.out(text) : output.write(text)), (done, of) => {
          bar ??= progressBar(io, of, 'cells');
          bar.update(done);
        }, () => {
          for (const pair of skippedPairs(grid)) io.err(`vlab sweep: ${pair} left out: the mode runs only a paravirtualized build, and the guest has none\n`);
        });
      } catch (e) {
        output?.abandon();
        throw e;
      } finally {
        bar?.stop();
      }
      output?.commit();
    });
}

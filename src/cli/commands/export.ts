import type { Command } from 'commander';
import { vmConfigs } from '../../domain/config.js';
import { VlabError } from '../../domain/errors.js';
import { writePerfetto } from '../../export/perfetto.js';
import { checkTrace } from '../../replay/order.js';
import { TraceReader } from '../../replay/reader.js';
import { eventsFrom } from '../../replay/source.js';
import { writeOutputStream } from '../files.js';
import type { Io } from '../io.js';

const FORMATS = ['perfetto'] as const;

export function registerExport(program: Command, io: Io): void {
  program
    .command('export')
    .argument('<trace>', 'a trace file')
    .description('write a trace\'s events for another tool: --format perfetto (Chrome trace-event JSON for ui.perfetto.dev)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')}`, 'perfetto')
    .requiredOption('-o, --output <file>', 'the file to write')
    .action((trace: string, options: { format: string; output: string }) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) throw new VlabError('E_USAGE', `unknown format '${options.format}' (valid: ${FORMATS.join(', ')})`);
      const reader = new TraceReader(trace);
      try {
        checkTrace(reader);
        const c = reader.header.config;
        const titles = vmConfigs(c).map((vm) => `${vm.guest} under ${c.mode} (${c.isa}, ${c.cpu})`);
        let done = { events: 0, cycles: 0 };
        writeOutputStream(options.output, 'export', (write) => {
          done = writePerfetto(eventsFrom(reader, 0, undefined), titles, write);
        });
        io.err(`vlab: wrote ${options.output}: ${done.events} events, ${done.cycles} cycles (1 cycle = 1/1000 µs)\n`);
      } finally {
        reader.close();
      }
    });
}

import type { Command } from 'commander';
import { runToSummary } from '../../engines/summary.js';
import { runConfig } from '../config.js';
import { ConsoleStream } from '../console-stream.js';
import { runExit } from '../exit-codes.js';
import { wantColour, type Io } from '../io.js';
import { runOptions } from '../options.js';
import { vmOptions } from '../vms.js';
import { runReport } from '../summary-table.js';

export function registerRun(program: Command, io: Io, setExit: (code: number) => void): void {
  vmOptions(runOptions(program.command('run').argument('[guest]', 'a .s file, an image, or a guest name (vlab list guests); VM 0 when there are several')))
    .description('run a guest under one virtualization mode and summarize the run')
    .addHelpText('after', '\nThe exit status is the guest\'s: the code it wrote to the exit port (as QEMU\'s isa-debug-exit),\n0 when it halted, 124 when it ran out of budget, 125 on deadlock, 139 on a triple fault.\nSeveral VMs (--vm, --vms): the status of the first VM that did not exit 0 or halt, else 0.')
    .option('--json', 'print one JSON object with the summary, and nothing else')
    .action((guest: string | undefined, options: Parameters<typeof runConfig>[1] & { json?: boolean }) => {
      const config = runConfig(guest, options);
      const stream = options.json === true || config.extraVms !== undefined ? undefined : new ConsoleStream(io);
      const summary = runToSummary(config, stream === undefined ? {} : { onConsole: stream.byte });
      io.out(options.json === true ? `${JSON.stringify(summary)}\n` : (stream?.report(summary, wantColour(io)) ?? runReport(summary, wantColour(io))));
      setExit(runExit(summary.endReason, summary.exitCode));
    });
}

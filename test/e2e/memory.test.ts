import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleCapture } from '../../src/engines/console-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'vlab-memory-'));
const printer = join(dir, 'printer.s');
writeFileSync(printer, '.entry s\ns:  mov r1, 0x41\n    out 0x3f8, r1\n    jmp s\n');

/** Peak resident set of one `vlab` command in its own process, in MB: VmHWM, which exec resets (getrusage's maxRSS keeps the forking parent's). */
function peakMb(argv: string[]): number {
  const script = `const m = await import('./dist/src/cli/main.js'); const io = { out() {}, err(t) { process.stderr.write(t); }, isTTY: false };
await m.main(${JSON.stringify(argv)}, io); const fs = await import('node:fs');
process.stdout.write(String(Number(/VmHWM:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024));`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
}

describe('bounded memory', () => {
  it('the summary keeps the last MiB of the console after a line counting the rest', () => {
    const c = new ConsoleCapture();
    for (let i = 0; i < ConsoleCapture.KEEP_BYTES + 10; i++) c.append(i < 10 ? 0x61 : 0x62);
    const text = c.text();
    expect(text.startsWith('[vlab: 10 earlier console bytes not kept]\nbbb')).toBe(true);
    expect(text.length).toBe(ConsoleCapture.KEEP_BYTES + '[vlab: 10 earlier console bytes not kept]\n'.length);
  });

  it.skipIf(!existsSync('dist/src/cli/main.js'))('a guest printing in a loop: run and record stay flat in the console’s length, under 200 MB', () => {
    for (const command of [['run'], ['record', '-o', join(dir, 't.vtrace')]]) {
      const small = peakMb([command[0] as string, printer, '--max-insns', '1500000', ...command.slice(1)]);
      const large = peakMb([command[0] as string, printer, '--max-insns', '12000000', ...command.slice(1)]);
      console.log(`${command[0]}: peak RSS ${small.toFixed(0)} MB for 0.5 MB of console, ${large.toFixed(0)} MB for 4 MB`);
      expect(large - small).toBeLessThan(40);
      expect(large).toBeLessThan(200);
    }
  }, 120_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { HANG_MS, type CaseResult } from './outcome.js';
import type { Prng } from './prng.js';

const COMMANDS = ['run', 'compare', 'record', 'replay', 'inspect', 'diff', 'asm', 'disasm', 'list', 'stat', 'tc', 'debug', 'export', 'sweep', 'merge', 'nope', ''];
const OPTIONS = ['--mode', '--isa', '--cpu', '--max-insns', '--seed', '--input', '--disk', '-D', '-o', '--html', '--at', '--range', '--type', '--checkpoint-every', '--modes', '--cpus', '--count', '--shard', '--jobs', '--vm', '--vms', '--quantum', '--vm-index', '--format', '--guests', '--generated', '--seeds', '--grid', '--json', '--events', '--salvage', '--reexec', '--help', '--version', '-x', '--'];
const VALUES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', '-1', '0', '1e999', '99999999999999999999', '0x', 'NaN', 'native', 'emulate', 'trap-emulate', 'hardware-assist', 'perfetto', 'classic', 'virtualizable', 'p4-prescott-2005', '1/0', '3/2', '0/2', '2/2', '..', '5..2', 'a=b', '=1', 'hello', 'minios', 'nano/divzero', 'hello,hello', '/dev/zero', '/dev/null', '/', '/proc/self/mem', 'traces/hello-native.vtrace', 'traces/two-vms-hardware-assist-events.vtrace', 'guests/hello.s', 'README.md', 'package.json', '%s%n', '\u0000', 'é'];
/** Options whose value is a file vlab writes: the value is always a fresh path in the case's own temporary directory. */
const WRITES = new Set(['-o', '--html']);
/** Stands for a path in the case's temporary directory until checkCli runs the line. */
export const OUT = '<out>';

/** A hostile command line: a command, then options and values drawn from a list of the awkward; an output option is always followed by OUT. */
export function cliLine(r: Prng): string[] {
  const argv = [r.pick(COMMANDS)];
  for (let k = r.int(6); k > 0; k--) {
    const word = r.next() < 0.5 ? r.pick(OPTIONS) : r.pick(VALUES);
    argv.push(word);
    if (WRITES.has(word)) argv.push(OUT);
  }
  return argv.filter((a) => a !== '--disk').map((a) => (a === '/proc/self/mem' ? '/dev/zero' : a));
}

/** Runs a command line in this process, output captured: "internal error" (a stack trace) or a slow command is a failure. */
export async function checkCli(argv: readonly string[]): Promise<CaseResult> {
  let err = '';
  const started = Date.now();
  const bounded = ['run', 'compare', 'diff', 'sweep', 'stat', 'tc'].includes(argv[0] ?? '') && !argv.includes('--max-insns') ? ['--max-insns', '200000'] : [];
  const dir = mkdtempSync(join(tmpdir(), 'vlab-fuzz-cli-'));
  let code: number;
  try {
    let n = 0;
    const line = [...argv, ...bounded].filter((a) => a !== '').map((a) => (a === OUT ? join(dir, `out${n++}`) : a));
    code = await main(line, { out: () => undefined, err: (t) => void (err += t), isTTY: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = Date.now() - started;
  if (code === 70 || err.includes('vlab: internal error') || /\n\s+at \S.*:\d+:\d+\)?$/m.test(err)) return { failure: 'stack trace', detail: err.split('\n').slice(0, 2).join(' ') };
  if (ms > HANG_MS) return { failure: 'hang', detail: `${ms} ms` };
  return {};
}

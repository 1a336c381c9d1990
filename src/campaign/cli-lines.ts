import { main } from '../cli/main.js';
import { HANG_MS, type CaseResult } from './outcome.js';
import type { Prng } from './prng.js';

const COMMANDS = ['run', 'compare', 'record', 'replay', 'inspect', 'diff', 'asm', 'disasm', 'list', 'nope', ''];
const OPTIONS = ['--mode', '--isa', '--cpu', '--max-insns', '--seed', '--input', '--disk', '-D', '-o', '--at', '--range', '--type', '--checkpoint-every', '--modes', '--count', '--shard', '--json', '--events', '--salvage', '--reexec', '--help', '--version', '-x', '--'];
const VALUES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', '-1', '0', '1e999', '99999999999999999999', '0x', 'NaN', 'native', 'emulate', 'trap-emulate', 'classic', 'virtualizable', 'p4-prescott-2005', '1/0', '3/2', '..', '5..2', 'a=b', '=1', 'hello', 'minios', 'nano/divzero', '/dev/zero', '/dev/null', '/', '/proc/self/mem', 'traces/hello-native.vtrace', 'guests/hello.s', 'README.md', '%s%n', '\u0000', 'é'];

/** A hostile command line: a command, then options and values drawn from a list of the awkward. */
export function cliLine(r: Prng): string[] {
  const argv = [r.pick(COMMANDS)];
  for (let k = r.int(6); k > 0; k--) argv.push(r.next() < 0.5 ? r.pick(OPTIONS) : r.pick(VALUES));
  return argv.filter((a) => a !== '-o' && a !== '--output' && a !== '--disk').map((a) => (a === '/proc/self/mem' ? '/dev/zero' : a));
}

/** Runs a command line in this process, output captured: "internal error" (a stack trace) or a slow command is a failure. */
export async function checkCli(argv: readonly string[]): Promise<CaseResult> {
  let err = '';
  const started = Date.now();
  const bounded = ['run', 'compare', 'diff'].includes(argv[0] ?? '') && !argv.includes('--max-insns') ? ['--max-insns', '200000'] : [];
  const code = await main([...argv, ...bounded].filter((a) => a !== ''), { out: () => undefined, err: (t) => void (err += t), isTTY: false });
  const ms = Date.now() - started;
  if (code === 70 || err.includes('vlab: internal error') || /\n\s+at \S.*:\d+:\d+\)?$/m.test(err)) return { failure: 'stack trace', detail: err.split('\n').slice(0, 2).join(' ') };
  if (ms > HANG_MS) return { failure: 'hang', detail: `${ms} ms` };
  return {};
}

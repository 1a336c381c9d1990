import { ERROR_CODES, type ErrorCode } from '../domain/errors.js';

/**
 * vlab's exit statuses, declared once: `vlab --help` and docs/cli.md print this table, the
 * CLI exits through it. Host failures follow sysexits.h; how a guest ended follows QEMU's
 * isa-debug-exit habit (`run` exits with the guest's own code) and timeout(1) for the budget.
 */
export const EXIT = {
  OK: 0,
  DIFFERENT: 1,
  USAGE: 2,
  DATAERR: 65,
  NOINPUT: 66,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  IOERR: 74,
  BUDGET: 124,
  DEADLOCK: 125,
  TRIPLE_FAULT: 139,
} as const;

/** The table as `vlab --help` and docs/cli.md show it. */
export const EXIT_TABLE: readonly (readonly [number | string, string])[] = [
  [EXIT.OK, 'success; `run`: the guest halted, or wrote 0 to the exit port'],
  ['0-255', '`run`: the code the guest wrote to the exit port (QEMU isa-debug-exit habit)'],
  [EXIT.DIFFERENT, '`diff`, `replay --reexec`: the runs differ; `compare`: a mode differs from native unexpectedly'],
  [EXIT.USAGE, 'usage error: bad option, mode, ISA profile, CPU profile or command'],
  [EXIT.DATAERR, 'bad input data: assembly errors, a damaged image or trace, VM file or shards (EX_DATAERR)'],
  [EXIT.NOINPUT, 'unknown guest: not a file and not a guest name (EX_NOINPUT)'],
  [EXIT.UNAVAILABLE, 'the mode is not available, or refuses the guest (EX_UNAVAILABLE)'],
  [EXIT.SOFTWARE, 'internal error: a bug in vlab, please report it (EX_SOFTWARE)'],
  [EXIT.IOERR, 'host file error: cannot read or write a file (EX_IOERR)'],
  [EXIT.BUDGET, '`run`: the guest ran out of its instruction budget (--max-insns), as timeout(1)'],
  [EXIT.DEADLOCK, '`run`: deadlock: hlt with nothing left to wake the guest'],
  [EXIT.TRIPLE_FAULT, '`run`: the guest crashed: triple fault (as a process killed by SIGSEGV)'],
];

/** The exit status of each error code; a code missing here exits EX_SOFTWARE (a test checks none is). */
export const ERROR_EXIT: Readonly<Partial<Record<ErrorCode, number>>> = {
  E_USAGE: EXIT.USAGE,
  E_UNKNOWN_MODE: EXIT.USAGE,
  E_UNKNOWN_PROFILE: EXIT.USAGE,
  E_UNKNOWN_GUEST: EXIT.NOINPUT,
  E_ASSEMBLY: EXIT.DATAERR,
  E_IMAGE: EXIT.DATAERR,
  E_IO: EXIT.IOERR,
  E_INPUT: EXIT.NOINPUT,
  E_MODE_UNAVAILABLE: EXIT.UNAVAILABLE,
  E_GUEST_REFUSED: EXIT.UNAVAILABLE,
  E_TRACE: EXIT.DATAERR,
  E_TRACE_VERSION: EXIT.DATAERR,
  E_DIVERGENCE: EXIT.DIFFERENT,
  E_SWEEP: EXIT.DATAERR,
  E_VM_CONFIG: EXIT.DATAERR,
};

export function errorExit(code: ErrorCode): number {
  return ERROR_EXIT[code] ?? EXIT.SOFTWARE;
}

/** Every error code without an exit status (a test keeps this empty). */
export function unmappedErrorCodes(): string[] {
  return Object.keys(ERROR_CODES).filter((c) => ERROR_EXIT[c as ErrorCode] === undefined);
}

/** `vlab run`'s status: how the guest ended. */
export function runExit(endReason: string, exitCode: number): number {
  switch (endReason) {
    case 'exit': return exitCode & 0xff;
    case 'halt': return EXIT.OK;
    case 'budget': return EXIT.BUDGET;
    case 'deadlock': return EXIT.DEADLOCK;
    case 'triple-fault': return EXIT.TRIPLE_FAULT;
    default: return EXIT.SOFTWARE;
  }
}

export function exitTableText(): string {
  return `Exit status:\n${EXIT_TABLE.map(([code, what]) => `  ${String(code).padStart(5)}  ${what.replace(/`/g, '')}`).join('\n')}`;
}

export function exitTableMarkdown(): string {
  return ['| status | meaning |', '| ---: | --- |', ...EXIT_TABLE.map(([code, what]) => `| ${code} | ${what} |`)].join('\n');
}

const START = '<!-- exit-codes:start (npm run docs) -->';
const END = '<!-- exit-codes:end -->';

/** A document with its exit-status section regenerated from EXIT_TABLE. */
export function withExitTable(doc: string): string {
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`no ${START} … ${END} section`);
  return `${doc.slice(0, from + START.length)}\n${exitTableMarkdown()}\n${doc.slice(to)}`;
}

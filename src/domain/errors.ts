/**
 * Host-side failures (bad input, damaged traces, broken invariants) as typed errors with a
 * stable code from one catalogue; the CLI prints them as one line, never a stack trace.
 */
export const ERROR_CODES = {
  E_USAGE: 'bad command line',
  E_UNKNOWN_MODE: 'unknown mode',
  E_UNKNOWN_PROFILE: 'unknown ISA profile',
  E_UNKNOWN_GUEST: 'unknown guest',
  E_ASSEMBLY: 'assembly failed',
  E_IMAGE: 'bad image file',
  E_IO: 'file error',
  E_INPUT: 'input refused',
  E_MODE_UNAVAILABLE: 'mode not implemented yet',
  E_GUEST_REFUSED: 'guest refused by the mode',
  E_TRACE: 'damaged trace',
  E_TRACE_VERSION: 'unsupported trace version',
  E_DIVERGENCE: 'replay diverged',
  E_SWEEP: 'bad sweep results',
  E_VM_CONFIG: 'bad file of VMs (--vms)',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class VlabError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'VlabError';
  }
}

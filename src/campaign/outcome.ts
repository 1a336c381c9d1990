/** What one generated case did (docs/reliability.md defines each class). */
export const FAILURE_CLASSES = ['escape', 'divergence', 'nondeterminism', 'hang', 'stack trace', 'wrong result', 'memory over bound'] as const;
export type FailureClass = (typeof FAILURE_CLASSES)[number];

export interface Failure {
  readonly kind: string;
  /** The case's number in its kind (k of `--count`): failures are listed in this order. */
  readonly index: number;
  readonly seed: number;
  readonly failure: FailureClass;
  readonly detail: string;
  /** The smallest input found that still fails this way. */
  readonly reproducer: string;
}

/** One case of a kind: its seed, and how it failed (undefined: a clean outcome). */
export interface CaseResult {
  readonly failure?: FailureClass;
  readonly detail?: string;
  readonly reproducer?: string;
}

/** A case taking longer than this on the host counts as a hang (the run loop ends every run; this is the host's budget). */
export const HANG_MS = 10_000;

/** An error that is not one of vlab's typed errors escaped: the CLI would print a stack trace. */
export function isStackTrace(e: unknown): boolean {
  return !(e instanceof Error && e.name === 'VlabError');
}

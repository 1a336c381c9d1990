import type { RunOutcome } from '../../domain/state/machine.js';

const clean = (o: RunOutcome): boolean => (o.reason === 'exit' && o.exitCode === 0) || o.reason === 'halt';

/**
 * How a run of several VMs ends (its run-end event): as the first VM, in index order, that
 * did not end cleanly (exit 0 or halt); when every VM did, as VM 0. So `vlab run` exits 0
 * only when every VM succeeded, like `wait` on several jobs reporting the first failure.
 */
export function runStatus(ends: readonly (RunOutcome | undefined)[]): RunOutcome {
  const known = ends.filter((o): o is RunOutcome => o !== undefined);
  return known.find((o) => !clean(o)) ?? known[0] ?? { reason: 'error', exitCode: 0 };
}

import type { RunConfig } from '../../../src/domain/config.js';
import { modeSpec } from '../../../src/engines/modes/registry.js';
import { guestViewHash } from '../../../src/domain/guest-view.js';
import type { IsaProfile } from '../../../src/domain/isa/table.js';
import { diffRuns } from '../../../src/replay/diff.js';
import { configFor, firstDifference, guestSteps, record, type Recorded } from '../../helpers/run.js';
import { imageOf, type GuestProgram } from './program.js';

/** Guest instructions a program may retire; generated programs need a few hundred. */
export const BUDGET = 2_000;
/** Events a run may emit (a VMM spends a few per guest instruction): a VMM looping without guest progress is cut here. */
export const MAX_EVENTS = 8 * BUDGET;

export interface Divergence {
  readonly step: number; // index of the first differing guest step, or -1 when only the final guest view differs
  readonly detail: string; // both sides of that step, readable
}

interface Runs {
  readonly native: Recorded;
  readonly other: Recorded;
  readonly configs: readonly [RunConfig, RunConfig];
}

function runBoth(program: GuestProgram, mode: string, profile: IsaProfile, variant: Partial<RunConfig> = {}): Runs {
  const image = imageOf(program);
  const configs = [configFor(image, 'native', profile, BUDGET), { ...configFor(image, mode, profile, BUDGET), ...variant }] as const;
  return { native: record(configs[0], MAX_EVENTS), other: record(configs[1], MAX_EVENTS), configs };
}

const wasCut = (r: Recorded): boolean => r.state.outcome === undefined;

/**
 * Where `mode` first shows the guest something native does not, or undefined when it
 * never does. When both runs were cut (the guest itself never ends, e.g. halted with
 * its only interrupt line left in service), only the steps both ran are compared.
 */
export function divergence(program: GuestProgram, mode: string, profile: IsaProfile, variant: Partial<RunConfig> = {}): Divergence | undefined {
  const runs = runBoth(program, mode, profile, variant);
  const [a, b] = runs.configs;
  let [native, other] = [guestSteps(runs.native, a), guestSteps(runs.other, b)];
  if (wasCut(runs.native) && wasCut(runs.other)) {
    const common = Math.min(native.length, other.length);
    [native, other] = [native.slice(0, common), other.slice(0, common)];
    return firstDifference(native, other) >= 0 ? { step: firstDifference(native, other), detail: describe(runs, mode) } : undefined;
  }
  const step = firstDifference(native, other);
  if (step >= 0) return { step, detail: describe(runs, mode) };
  if (guestViewHash(runs.native.state, modeSpec('native').projection) !== guestViewHash(runs.other.state, modeSpec(mode).projection)) {
    return { step: -1, detail: `the final guest views differ (native ends ${outcome(runs.native)}, ${mode} ${outcome(runs.other)})` };
  }
  return undefined;
}

const outcome = (r: Recorded): string => (r.state.outcome === undefined ? `cut after ${MAX_EVENTS} events` : `${r.state.outcome.reason} ${r.state.outcome.exitCode}`);

/** Both sides of the first differing guest step, with the registers and memory that differ after it. */
function describe(runs: Runs, mode: string): string {
  const [a, b] = runs.configs;
  const d = diffRuns({ label: 'native', config: a, batches: runs.native.batches }, { label: mode, config: b, batches: runs.other.batches }).divergence;
  if (d === undefined) return '(no divergence on replay)';
  return [
    `first differing guest step ${d.step} (native ends ${outcome(runs.native)}, ${mode} ${outcome(runs.other)}):`,
    `  native:       ${d.texts[0]}`,
    `  ${`${mode}:`.padEnd(13)} ${d.texts[1]}`,
    `  after it:     ${d.difference.join('; ')}`,
  ].join('\n');
}

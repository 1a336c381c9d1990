import { assemble } from '../domain/asm/index.js';
import { DEFAULT_DISK_BYTES, type RunConfig, type VmConfig } from '../domain/config.js';
import { DEFAULT_CPU } from '../domain/cost/profile.js';
import type { Image } from '../domain/image/image.js';
import { DEFAULT_MEMORY_BYTES } from '../domain/isa/arch.js';
import type { IsaProfile } from '../domain/isa/table.js';
import type { ModeSpec } from '../engines/modes/spec.js';
import { runToSummary, type RunSummary } from '../engines/summary.js';

/** One VM of an isolation check: what it runs, named for the report. */
export interface IsolationGuest {
  readonly name: string;
  readonly source: string;
}

/** What a VM sees of its run, as compared alone and beside a neighbour: everything but timing. */
function sight(s: { endReason: string; exitCode: number; console: string; guestInsns: number; guestViewHash: string }): string {
  return `${s.endReason} ${s.exitCode} insns ${s.guestInsns} view ${s.guestViewHash} console ${JSON.stringify(s.console)}`;
}

/** The last sources assembled: a case checks the same two guests under every mode and profile. Runs copy an image and a disk into their own state and never change them, so they are shared. */
const assembled = new Map<string, Image | undefined>();
const REMEMBERED = 8;
const DISK = new Uint8Array(DEFAULT_DISK_BYTES);

function imageOf(g: IsolationGuest): Image | undefined {
  const key = `${g.name}\n${g.source}`;
  if (assembled.has(key)) return assembled.get(key);
  if (assembled.size >= REMEMBERED) assembled.clear();
  const r = assemble(g.source, { file: g.name, defines: {} });
  assembled.set(key, r.ok ? r.image : undefined);
  return r.ok ? r.image : undefined;
}

function vmOf(g: IsolationGuest, maxInsns: number): VmConfig | undefined {
  const image = imageOf(g);
  return image === undefined ? undefined : { image, guest: g.name, input: 'fuzz', disk: DISK, maxInsns };
}

function configOf(vms: readonly VmConfig[], mode: string, isa: IsaProfile, quantum: number): RunConfig {
  const [first, ...others] = vms as [VmConfig, ...VmConfig[]];
  return {
    ...first, mode, isa, cpu: DEFAULT_CPU, seed: 0, memoryBytes: DEFAULT_MEMORY_BYTES, vlabVersion: 'campaign',
    ...(others.length === 0 ? {} : { extraVms: others, quantum }),
  };
}

/**
 * Property 2 of DESIGN §7 (resource control), as the campaign and the property test check
 * it: each VM's guest view beside its neighbours equals its guest view alone. Returns the
 * first VM whose view differs (an escape), or undefined. Timing is outside the property.
 * `known[i]`, when given, is VM i's run alone, already made by the caller.
 */
export function isolationEscape(guests: readonly IsolationGuest[], mode: ModeSpec, isa: IsaProfile, quantum: number, maxInsns = 20_000, known: readonly (RunSummary | undefined)[] = []): string | undefined {
  const vms = guests.map((g) => vmOf(g, maxInsns));
  if (vms.some((v) => v === undefined)) return undefined;
  const together = runToSummary(configOf(vms as VmConfig[], mode.name, isa, quantum));
  for (const [i, vm] of (vms as VmConfig[]).entries()) {
    const alone = known[i] ?? runToSummary(configOf([vm], mode.name, isa, quantum));
    const beside = together.vms?.[i];
    if (beside === undefined) return `${mode.name} × ${isa}: VM ${i} missing from the run of ${vms.length}`;
    if (sight(beside) !== sight(alone)) return `${mode.name} × ${isa}, quantum ${quantum}: VM ${i} (${guests[i]?.name}) alone ${sight(alone)}, beside its neighbour ${sight(beside)}`;
  }
  return undefined;
}

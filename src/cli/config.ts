import { parseVmcs } from '../engines/vmx/controls.js';
import { DEFAULT_DISK_BYTES, DEFAULT_MAX_INSNS, vmConfigs, type RunConfig, type VmConfig } from '../domain/config.js';
import { CPU_PROFILES, DEFAULT_CPU, type CpuProfile } from '../domain/cost/profile.js';
import { DEFAULT_MEMORY_BYTES } from '../domain/isa/arch.js';
import { ISA_PROFILES, type IsaProfile } from '../domain/isa/table.js';
import { VlabError } from '../domain/errors.js';
import { imageBeyondMemory } from '../domain/image/image.js';
import { INPUT_LIMITS, readInput } from './files.js';
import { loadGuest } from './guest.js';
import { MODE_NAMES } from '../engines/modes/registry.js';
import { vlabVersion } from './package-info.js';
import { vmRequests, type VmRequest } from './vms.js';

/** The options every command that runs a guest accepts. */
export interface RunOptions {
  readonly mode?: string;
  readonly isa?: string;
  readonly maxInsns?: string;
  readonly input?: string;
  readonly disk?: string;
  readonly cpu?: string;
  readonly define?: readonly string[];
  readonly vmcs?: string;
  /** Several VMs (vms.ts): more guests, a file of VMs, the time slice. */
  readonly vm?: readonly string[];
  readonly vms?: string;
  readonly quantum?: string;
}

export function parseMode(mode: string): string {
  if (MODE_NAMES.includes(mode)) return mode;
  throw new VlabError('E_UNKNOWN_MODE', `unknown mode '${mode}' (valid: ${MODE_NAMES.join(', ')})`);
}

export function parseProfile(isa: string): IsaProfile {
  if ((ISA_PROFILES as readonly string[]).includes(isa)) return isa as IsaProfile;
  throw new VlabError('E_UNKNOWN_PROFILE', `unknown ISA profile '${isa}' (valid: ${ISA_PROFILES.join(', ')})`);
}

export function parseCount(option: string, text: string): number {
  if (!/^(0x[0-9a-f]+|[0-9][0-9_]*)$/i.test(text)) throw new VlabError('E_USAGE', `${option} needs a whole number, got '${text}'`);
  const n = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(n)) throw new VlabError('E_USAGE', `${option} must be at most ${Number.MAX_SAFE_INTEGER}, got '${text}'`);
  return n;
}

/** `--vm-index I`: a VM of the run (0 first), or undefined when not given; out of range is one usage line naming the run. */
export function parseVmIndex(text: string | undefined, config: RunConfig, run: string): number | undefined {
  if (text === undefined) return undefined;
  const index = parseCount('--vm-index', text);
  const count = vmConfigs(config).length;
  if (index >= count) throw new VlabError('E_USAGE', `--vm-index ${index}: ${run} holds ${count} VM${count === 1 ? '' : 's'}`);
  return index;
}

/** `-D NAME=VALUE` (VALUE defaults to 1). */
export function parseDefines(defines: readonly string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of defines) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/.exec(d);
    if (m === null) throw new VlabError('E_USAGE', `-D needs NAME=VALUE, got '${d}'`);
    out[m[1] as string] = m[2] === undefined ? 1 : parseCount(`-D ${m[1]}`, m[2]);
  }
  return out;
}

function diskImage(path: string | undefined): Uint8Array {
  if (path === undefined) return new Uint8Array(DEFAULT_DISK_BYTES);
  const bytes = readInput(path, 'disk image', INPUT_LIMITS.disk);
  const padded = new Uint8Array(Math.max(DEFAULT_DISK_BYTES, Math.ceil(bytes.length / 512) * 512));
  padded.set(bytes);
  return padded;
}

/** `--vmcs KEY=VALUE,...`, checked now so a bad key is one error line before the run. */
function parseVmcsOption(text: string): string {
  parseVmcs(text);
  return text;
}

export function parseCpu(cpu: string): CpuProfile {
  const profile = CPU_PROFILES.get(cpu);
  if (profile !== undefined) return profile;
  throw new VlabError('E_USAGE', `unknown CPU profile '${cpu}' (valid: ${[...CPU_PROFILES.keys()].join(', ')})`);
}

/** Turns a guest and command-line options into the run config (also used by `vlab record`); with --vm or --vms, a run of several VMs. */
export function runConfig(guest: string | undefined, options: RunOptions): RunConfig {
  const defines = parseDefines(options.define);
  const { vms, quantum } = vmRequests(guest, options);
  const [first, ...others] = vms.map((request) => vmConfig(request, options, defines));
  const quantumText = options.quantum ?? quantum;
  return {
    ...(first as VmConfig),
    mode: parseMode(options.mode ?? 'native'),
    isa: parseProfile(options.isa ?? 'classic'),
    seed: 0, // nothing in a run is random: no option sets it (docs/cli.md)
    memoryBytes: DEFAULT_MEMORY_BYTES,
    cpu: parseCpu(options.cpu ?? DEFAULT_CPU).name,
    vlabVersion: vlabVersion(),
    ...(options.vmcs === undefined ? {} : { vmcs: parseVmcsOption(options.vmcs) }),
    ...(others.length === 0 ? {} : { extraVms: others }),
    ...(quantumText === undefined ? {} : { quantum: parseQuantum(quantumText) }),
  };
}

function parseQuantum(text: string): number {
  const n = parseCount('--quantum', text);
  if (n < 1) throw new VlabError('E_USAGE', `--quantum must be at least 1, got '${text}'`);
  return n;
}

/** One VM: its guest, and its input, disk and budget (its own, else the run's). */
function vmConfig(request: VmRequest, options: RunOptions, defines: Record<string, number>): VmConfig {
  const { image } = loadGuest(request.guest, defines);
  const beyond = imageBeyondMemory(image, DEFAULT_MEMORY_BYTES);
  if (beyond !== undefined) throw new VlabError('E_IMAGE', `${request.guest}: ${beyond}`);
  const maxInsns = request.maxInsns ?? options.maxInsns;
  return {
    image,
    guest: request.guest,
    maxInsns: maxInsns === undefined ? DEFAULT_MAX_INSNS : parseCount('--max-insns', maxInsns),
    input: request.input ?? options.input ?? '',
    disk: diskImage(request.disk ?? options.disk),
  };
}

import type { Command } from 'commander';
import { MAX_VMS, type VmConfig } from '../domain/config.js';
import { VlabError } from '../domain/errors.js';
import { INPUT_LIMITS, readInput } from './files.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The options of a run of several VMs (run, record): docs/multi-vm.md. */
export function vmOptions(command: Command): Command {
  return command
    .option('--vm <guest>', 'one more VM running this guest, with the run\'s --input, --disk and --max-insns (repeatable)', collect)
    .option('--vms <file>', 'a JSON file of VMs: [{ "guest", "input"?, "disk"?, "maxInsns"? }, ...] or { "vms": [...], "quantum"? }')
    .option('--quantum <n>', 'several VMs: the time slice, in the VM\'s own timer counts (default 10000)');
}

/** One VM as the command line or a file of VMs names it; what it leaves out comes from the run's options. */
export interface VmRequest {
  readonly guest: string;
  readonly input?: string;
  readonly disk?: string;
  readonly maxInsns?: string;
}

const KEYS = ['guest', 'input', 'disk', 'maxInsns'] as const;

/** A file of VMs, checked entry by entry: every mistake is one line naming the file and the entry. */
export function readVmsFile(path: string): { vms: VmRequest[]; quantum?: string } {
  const text = readInput(path, 'file of VMs', INPUT_LIMITS.source).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new VlabError('E_VM_CONFIG', `${path}: not JSON (${(e as Error).message})`);
  }
  const root = Array.isArray(parsed) ? { vms: parsed } : parsed;
  if (typeof root !== 'object' || root === null || !Array.isArray((root as { vms?: unknown }).vms)) {
    throw new VlabError('E_VM_CONFIG', `${path}: expected a list of VMs or { "vms": [...] }`);
  }
  const { vms, quantum } = root as { vms: unknown[]; quantum?: unknown };
  for (const key of Object.keys(root)) if (key !== 'vms' && key !== 'quantum') throw new VlabError('E_VM_CONFIG', `${path}: unknown key '${key}' (valid: vms, quantum)`);
  if (quantum !== undefined && typeof quantum !== 'number') throw new VlabError('E_VM_CONFIG', `${path}: quantum must be a number`);
  return { vms: vms.map((v, i) => vmEntry(path, i, v)), ...(quantum === undefined ? {} : { quantum: String(quantum) }) };
}

function vmEntry(path: string, i: number, v: unknown): VmRequest {
  const where = `${path}: VM ${i}`;
  if (typeof v === 'string') return { guest: v };
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new VlabError('E_VM_CONFIG', `${where}: expected a guest name or { "guest", ... }`);
  const entry = v as Record<string, unknown>;
  for (const key of Object.keys(entry)) if (!(KEYS as readonly string[]).includes(key)) throw new VlabError('E_VM_CONFIG', `${where}: unknown key '${key}' (valid: ${KEYS.join(', ')})`);
  if (typeof entry.guest !== 'string') throw new VlabError('E_VM_CONFIG', `${where}: "guest" must be a string`);
  if (entry.input !== undefined && typeof entry.input !== 'string') throw new VlabError('E_VM_CONFIG', `${where}: "input" must be a string`);
  if (entry.disk !== undefined && typeof entry.disk !== 'string') throw new VlabError('E_VM_CONFIG', `${where}: "disk" must be a path`);
  if (entry.maxInsns !== undefined && typeof entry.maxInsns !== 'number') throw new VlabError('E_VM_CONFIG', `${where}: "maxInsns" must be a number`);
  return {
    guest: entry.guest,
    ...(entry.input === undefined ? {} : { input: entry.input as string }),
    ...(entry.disk === undefined ? {} : { disk: entry.disk as string }),
    ...(entry.maxInsns === undefined ? {} : { maxInsns: String(entry.maxInsns) }),
  };
}

/** Every VM a command line asks for, in order: the positional guest, each --vm, then the file's. */
export function vmRequests(guest: string | undefined, options: { vm?: readonly string[]; vms?: string }): { vms: VmRequest[]; quantum?: string } {
  const file = options.vms === undefined ? undefined : readVmsFile(options.vms);
  const vms = [...(guest === undefined ? [] : [{ guest }]), ...(options.vm ?? []).map((g) => ({ guest: g })), ...(file?.vms ?? [])];
  if (vms.length === 0) throw new VlabError('E_USAGE', 'no guest: name one, or give --vm GUEST or --vms FILE');
  if (vms.length > MAX_VMS) throw new VlabError('E_USAGE', `${vms.length} VMs: a run holds at most ${MAX_VMS}`);
  return { vms, ...(file?.quantum === undefined ? {} : { quantum: file.quantum }) };
}

export type { VmConfig };

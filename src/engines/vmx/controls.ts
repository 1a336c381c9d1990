import { VlabError } from '../../domain/errors.js';
import { Cr0, Vector } from '../../domain/isa/arch.js';

/**
 * What the VMM asks the processor to exit on: the VMCS execution controls as a VMM
 * programs them (SDM Vol. 3C §24.6), in domain names. `vmcsWords` (vmcs.ts) encodes them.
 */
export interface VmxControls {
  readonly externalInterruptExiting: boolean;
  readonly hltExiting: boolean;
  readonly invlpgExiting: boolean;
  readonly cr3LoadExiting: boolean;
  readonly cr3StoreExiting: boolean;
  readonly cr8LoadExiting: boolean;
  readonly cr8StoreExiting: boolean;
  readonly rdtscExiting: boolean;
  /** Every in/out exits ('all'), none does ('none'), or only those on the I/O bitmap's port. */
  readonly io: 'all' | 'none' | number;
  /** rdmsr/wrmsr exit (no MSR bitmaps) or not (MSR bitmaps, all clear). */
  readonly msrExiting: boolean;
  readonly descriptorTableExiting: boolean;
  readonly ept: boolean;
  readonly exceptionBitmap: number;
  /** CR0/CR4 guest/host masks: a guest write that changes an owned bit (against the read shadow) exits; a read of one returns the shadow. */
  readonly cr0Mask: number;
  readonly cr4Mask: number;
  /** The VMM asks for an exit when the guest opens its interrupt window, to inject an interrupt it holds (exit reason 7). */
  readonly interruptWindowExiting: boolean;
  /** CR8 is served by the virtual-APIC TPR without an exit (unless CR8-load/store exiting); a write below the threshold exits (reason 43). */
  readonly useTprShadow: boolean;
  readonly tprThreshold: number;
  /** rdtsc (not exiting) returns the host's counter + `tscOffset` (mod 2^32) when on. */
  readonly useTscOffsetting: boolean;
  readonly tscOffset: number;
}

/** A first-generation VMM (Adams & Agesen 2006 §4.1): shadow paging, so guest #PF, CR3 loads and INVLPG exit; I/O exits. */
export const FIRST_GENERATION: VmxControls = {
  externalInterruptExiting: true,
  hltExiting: true,
  invlpgExiting: true,
  cr3LoadExiting: true,
  cr3StoreExiting: false,
  cr8LoadExiting: false,
  cr8StoreExiting: false,
  rdtscExiting: false,
  io: 'all',
  msrExiting: true,
  descriptorTableExiting: false,
  ept: false,
  exceptionBitmap: 1 << Vector.PF,
  cr0Mask: (Cr0.PE | Cr0.WP | Cr0.PG) >>> 0,
  cr4Mask: 0,
  interruptWindowExiting: true,
  useTprShadow: true,
  tprThreshold: 0,
  useTscOffsetting: true,
  tscOffset: 0,
};

/** A VMM with EPT: the guest owns its page tables, so page faults, CR3 and INVLPG stay in the guest. */
export const WITH_EPT: VmxControls = { ...FIRST_GENERATION, invlpgExiting: false, cr3LoadExiting: false, ept: true, exceptionBitmap: 0, cr0Mask: (Cr0.PE | Cr0.PG) >>> 0 };

const flag = (key: string, value: string): boolean => {
  if (value === '1' || value === 'on') return true;
  if (value === '0' || value === 'off') return false;
  throw bad(key, value, '0 or 1');
};

const bad = (key: string, value: string, valid: string): VlabError => new VlabError('E_USAGE', `--vmcs ${key}=${value}: expected ${valid}`);

const FLAGS: Readonly<Record<string, keyof VmxControls>> = {
  'external-interrupt-exiting': 'externalInterruptExiting',
  'hlt-exiting': 'hltExiting',
  'invlpg-exiting': 'invlpgExiting',
  'cr3-load-exiting': 'cr3LoadExiting',
  'cr3-store-exiting': 'cr3StoreExiting',
  'cr8-load-exiting': 'cr8LoadExiting',
  'cr8-store-exiting': 'cr8StoreExiting',
  'rdtsc-exiting': 'rdtscExiting',
  'msr-exiting': 'msrExiting',
  'descriptor-table-exiting': 'descriptorTableExiting',
  'interrupt-window-exiting': 'interruptWindowExiting',
  'use-tpr-shadow': 'useTprShadow',
  'use-tsc-offsetting': 'useTscOffsetting',
};

/** Controls whose value is a number: the VMCS field's width and what it means. */
const NUMBERS: Readonly<Record<string, readonly [field: keyof VmxControls, signed: boolean, max: number]>> = {
  'cr0-mask': ['cr0Mask', false, 0xffffffff],
  'cr4-mask': ['cr4Mask', false, 0xffffffff],
  'tpr-threshold': ['tprThreshold', false, 15],
  'tsc-offset': ['tscOffset', true, 0xffffffff],
};

export const VMCS_KEYS: readonly string[] = ['ept', ...Object.keys(FLAGS), 'io', 'exceptions', ...Object.keys(NUMBERS)];

/**
 * Parses `--vmcs KEY=VALUE,...` over the defaults (with EPT if `ept=1` is given):
 * `rdtsc-exiting=1`, `io=all|none|bitmap:0x3f8`, `exceptions=+14,-13` or a mask `exceptions=0x4000`.
 */
export function parseVmcs(text: string | undefined): VmxControls {
  const pairs = (text ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '').map((p): [string, string] => {
    const at = p.indexOf('=');
    if (at < 0) throw new VlabError('E_USAGE', `--vmcs ${p}: expected KEY=VALUE (keys: ${VMCS_KEYS.join(', ')})`);
    return [p.slice(0, at), p.slice(at + 1)];
  });
  const ept = pairs.find(([k]) => k === 'ept');
  let c: VmxControls = ept !== undefined && flag('ept', ept[1]) ? WITH_EPT : FIRST_GENERATION;
  for (const [key, value] of pairs) {
    if (key === 'ept') continue;
    const field = FLAGS[key];
    const number = NUMBERS[key];
    if (field !== undefined) c = { ...c, [field]: flag(key, value) };
    else if (number !== undefined) c = { ...c, [number[0]]: numberValue(key, value, number[1], number[2]) };
    else if (key === 'io') c = { ...c, io: ioValue(value) };
    else if (key === 'exceptions') c = { ...c, exceptionBitmap: exceptionsValue(c.exceptionBitmap, value) };
    else throw new VlabError('E_USAGE', `--vmcs: unknown key '${key}' (valid: ${VMCS_KEYS.join(', ')})`);
  }
  if (!c.ept && (!c.cr3LoadExiting || !c.invlpgExiting || (c.exceptionBitmap & (1 << Vector.PF)) === 0)) {
    throw new VlabError('E_USAGE', '--vmcs: shadow paging needs cr3-load-exiting=1, invlpg-exiting=1 and exception 14 in the bitmap (or ept=1)');
  }
  if (!c.ept && ((c.cr0Mask & (Cr0.PG | Cr0.WP)) >>> 0) !== (Cr0.PG | Cr0.WP) >>> 0) {
    throw new VlabError('E_USAGE', '--vmcs: shadow paging needs CR0.PG and CR0.WP owned by the VMM (cr0-mask with 0x80010000, or ept=1)');
  }
  if (!c.useTprShadow && (!c.cr8LoadExiting || !c.cr8StoreExiting)) {
    throw new VlabError('E_USAGE', '--vmcs: without use-tpr-shadow, CR8 is the host\'s: cr8-load-exiting=1 and cr8-store-exiting=1 are needed');
  }
  return c;
}

function numberValue(key: string, value: string, signed: boolean, max: number): number {
  const m = /^(-?)(0x[0-9a-f]+|\d+)$/i.exec(value);
  const n = m === null ? Number.NaN : (m[1] === '-' ? -1 : 1) * Number(m[2]);
  if (!Number.isSafeInteger(n) || n > max || (n < 0 && !signed) || n < -0x8000_0000) throw bad(key, value, signed ? 'a number (may be negative)' : `a number 0-${max}`);
  return signed ? n | 0 : n >>> 0;
}

function ioValue(value: string): VmxControls['io'] {
  if (value === 'all' || value === 'none') return value;
  const m = /^bitmap:(0x[0-9a-f]+|\d+)$/i.exec(value);
  if (m === null) throw bad('io', value, 'all, none or bitmap:PORT');
  return Number(m[1]) & 0xffff;
}

function exceptionsValue(bitmap: number, value: string): number {
  if (/^(0x[0-9a-f]+|\d+)$/i.test(value)) return Number(value) >>> 0;
  let out = bitmap;
  for (const part of value.split(/(?=[+-])/)) {
    const m = /^([+-])(\d+)$/.exec(part);
    if (m === null || Number(m[2]) > 31) throw bad('exceptions', value, '+N, -N (vectors 0-31) or a mask');
    out = m[1] === '+' ? out | (1 << Number(m[2])) : out & ~(1 << Number(m[2]));
  }
  return out >>> 0;
}

import { assemble } from '../domain/asm/index.js';
import { DEFAULT_DISK_BYTES, type RunConfig } from '../domain/config.js';
import { DEFAULT_CPU } from '../domain/cost/profile.js';
import type { Image } from '../domain/image/image.js';
import { DEFAULT_MEMORY_BYTES, hasErrorCode, IRQ_BASE } from '../domain/isa/arch.js';
import { ISA_PROFILES } from '../domain/isa/table.js';
import { MODES } from '../engines/modes/registry.js';
import { runToSummary, type RunSummary } from '../engines/summary.js';
import type { ModeSpec } from '../engines/modes/spec.js';
import { isolationEscape } from './isolation.js';
import { HANG_MS, isStackTrace, type CaseResult } from './outcome.js';
import { caseSeed, Prng } from './prng.js';

/** A kernel prologue: a stack, ESP0 and the IDT below. */
const PROLOGUE = `.entry start
start:  mov sp, 0x9000
        mov r0, 0x9000
        wrmsr 0, r0
        mov r0, idt_desc
        lidt [r0]
`;

/**
 * The gate of each vector: an exception's handler steps over the instruction it returned
 * to (a fault's, or the one after `int n`), dropping the error code first where the vector
 * pushes one, so a fault does not retry for ever; an interrupt's is a bare `iret`.
 */
const gateOf = (vector: number): string => (vector >= IRQ_BASE ? 'handler' : hasErrorCode(vector) ? 'skip_err' : 'skip');

/** Vectors 0–63: the exceptions, the IRQs and every `int n` a generated line names. */
const IDT_VECTORS = 64;

/** The handlers use r6, which no generated line names. */
const EPILOGUE = `
        mov r0, 0
        out 0xf4, r0
skip_err: add sp, 4
skip:   ld r6, [sp]
        add r6, 8
        st [sp], r6
handler: iret
        .align 8
idt_desc: .word ${IDT_VECTORS} * 8 - 1, idt
idt:
${Array.from({ length: IDT_VECTORS }, (_, v) => `        .word ${gateOf(v)}, 1`).join('\n')}
`;

const PORTS = [0x20, 0x21, 0x40, 0x3f8, 0x3fd, 0x1f0, 0x1f2, 0x1f3, 0x1f7, 0xf4, 0x80];

/** Adversarial lines: privileged and sensitive instructions, wild pointers, device commands anywhere, page-table and IDT tricks. */
function line(r: Prng): string {
  const reg = (): string => `r${r.int(6)}`;
  const imm = (): string => `0x${(r.next() < 0.5 ? r.int(0x10000) : r.u32()).toString(16)}`;
  const templates: (() => string)[] = [
    () => `mov ${reg()}, ${imm()}`,
    () => `add ${reg()}, ${reg()}`,
    () => `ld ${reg()}, [${reg()}+${r.int(64)}]`,
    () => `st [${reg()}], ${reg()}`,
    () => `st [${imm()}], ${reg()}`,
    () => `out 0x${r.pick(PORTS).toString(16)}, ${reg()}`,
    () => `in ${reg()}, 0x${r.pick(PORTS).toString(16)}`,
    () => r.pick(['cli', 'sti', 'hlt', 'pushf', 'popf', 'nop', 'cpuid', 'iret', 'ret']),
    () => `mov cr${r.pick([0, 2, 3, 4])}, ${reg()}`,
    () => `mov ${reg()}, cr${r.pick([0, 2, 3, 4])}`,
    () => `lidt [${reg()}]`,
    () => `sidt [${reg()}]`,
    () => `invlpg [${reg()}]`,
    () => `int ${r.int(64)}`,
    () => `wrmsr ${r.int(2)}, ${reg()}`,
    () => `div ${reg()}, ${reg()}`,
    () => `jmp ${reg()}`,
    () => `push ${reg()}`,
    () => `pop ${reg()}`,
  ];
  return r.pick(templates)();
}

/** A generated guest: 1–40 adversarial lines, to go between the prologue and the epilogue. */
export function guestSource(r: Prng): string[] {
  return Array.from({ length: 1 + r.int(40) }, () => line(r));
}

/** The source of guest case k of the campaign seeded `seed` (`vlab fuzz guests --seed S`), as `vlab sweep --generated` runs it. */
export function generatedGuest(seed: number, k: number): string {
  return guestText(guestSource(new Prng(caseSeed(seed, k))));
}

/** The guest's source; `paravirt` marks it a modified guest, so paravirt runs it (hostile as it is). */
export function guestText(lines: readonly string[], paravirt = false): string {
  return `${paravirt ? '        .guest paravirt, 1\n' : ''}${PROLOGUE}${lines.join('\n')}${EPILOGUE}`;
}

/** The budget of a generated guest's run, in guest instructions. */
export const GENERATED_MAX_INSNS = 5_000;

function configOf(image: Image, disk: Uint8Array, mode: string, isa: RunConfig['isa'], maxInsns: number, cpu: string = DEFAULT_CPU): RunConfig {
  return { image, guest: 'fuzz.s', mode, isa, cpu, seed: 0, maxInsns, input: 'fuzz', disk, memoryBytes: DEFAULT_MEMORY_BYTES, vlabVersion: 'campaign' };
}

/** The run config of a generated guest's source (undefined when it does not assemble); `vlab sweep` runs them too. */
export function generatedConfig(source: string, mode: string, isa: RunConfig['isa'], maxInsns: number, cpu: string = DEFAULT_CPU): RunConfig | undefined {
  const r = assemble(source, { file: 'fuzz.s', defines: {} });
  return r.ok ? configOf(r.image, new Uint8Array(DEFAULT_DISK_BYTES), mode, isa, maxInsns, cpu) : undefined;
}

/**
 * Runs one source in every mode and profile: a host exception, a hang or a divergence
 * where the mode claims equality is a failure. The source is assembled once and every run
 * shares its image and disk (a run copies them into its own state and never changes
 * them), so the reset state is built once per guest too (machine.ts: initialState).
 */
export function checkGuest(lines: readonly string[], maxInsns = GENERATED_MAX_INSNS): CaseResult {
  const assembled = assemble(guestText(lines), { file: 'fuzz.s', defines: {} });
  if (!assembled.ok) return { failure: 'wrong result', detail: 'a generated guest does not assemble' };
  const disk = new Uint8Array(DEFAULT_DISK_BYTES);
  const runs: { config: RunConfig; summary: RunSummary }[] = [];
  for (const isa of ISA_PROFILES) {
    let native: RunSummary | undefined;
    for (const mode of MODES) {
      const config = configOf(assembled.image, disk, mode.name, isa, maxInsns);
      const started = Date.now();
      let s: RunSummary | undefined;
      try {
        s = runToSummary(config);
      } catch (e) {
        if (isStackTrace(e)) return { failure: 'stack trace', detail: `${mode.name} × ${isa}: ${(e as Error).message}` };
      }
      const escape = escapeBesideNeighbour(lines, mode, isa, maxInsns, s);
      if (escape !== undefined) return escape;
      if (s === undefined) continue;
      runs.push({ config, summary: s });
      if (Date.now() - started > HANG_MS) return { failure: 'hang', detail: `${mode.name} × ${isa}: ${Date.now() - started} ms` };
      if (mode.name === 'native') native = s;
      else if (native !== undefined && mode.correctOn.includes(isa) && (s.guestViewHash !== native.guestViewHash || s.endReason !== native.endReason)) {
        return { failure: 'divergence', detail: `${mode.name} × ${isa}: ${s.endReason} ${s.guestViewHash}, native ${native.endReason} ${native.guestViewHash}` };
      }
    }
  }
  return nondeterminism(runs[lines.join('\n').length % runs.length]);
}

/** One of the case's runs (chosen by the case) made again: any difference in its state, events or cycles is nondeterminism. */
export function nondeterminism(run: { config: RunConfig; summary: RunSummary } | undefined): CaseResult {
  if (run === undefined) return {};
  const again = runToSummary(run.config);
  const print = (s: RunSummary): string => `${s.endReason} state ${s.stateHash} events ${s.events} cycles ${s.cycles}`;
  return print(again) === print(run.summary) ? {} : { failure: 'nondeterminism', detail: `${run.config.mode} × ${run.config.isa}: ${print(run.summary)}, then ${print(again)}` };
}

/**
 * Runs the guest beside a neighbour (its own lines in reverse order: as hostile, and a
 * function of the case, so minimising keeps it) under the mode's hypervisor: a difference
 * in either VM's view from its view alone is an escape. The quantum, 1–256 timer counts,
 * comes from the case too, so VMs switch often. `alone` is the guest's own run in the mode,
 * already made (an unmodified guest's source is the one it ran), so it is not run twice.
 */
function escapeBesideNeighbour(lines: readonly string[], mode: ModeSpec, isa: RunConfig['isa'], maxInsns: number, alone: RunSummary | undefined): CaseResult | undefined {
  if (mode.hypervisor === undefined) return undefined;
  const pv = mode.modifiedGuest;
  const quantum = 1 + ((lines.join('\n').length * 31) % 256);
  try {
    const escape = isolationEscape([{ name: 'fuzz.s', source: guestText(lines, pv) }, { name: 'neighbour.s', source: guestText([...lines].reverse(), pv) }], mode, isa, quantum, maxInsns, pv ? [] : [alone]);
    return escape === undefined ? undefined : { failure: 'escape', detail: escape };
  } catch (e) {
    return isStackTrace(e) ? { failure: 'stack trace', detail: `${mode.name} × ${isa}, two VMs: ${(e as Error).message}` } : undefined;
  }
}

/** Drops lines while the failure stays the same: a minimised reproducer. */
export function minimiseGuest(lines: readonly string[], failure: string): string[] {
  let current = [...lines];
  for (let i = current.length - 1; i >= 0; i--) {
    const candidate = current.filter((_, k) => k !== i);
    if (checkGuest(candidate).failure === failure) current = candidate;
  }
  return current;
}

import type { EventSpec } from './spec.js';
import { HYPERCALL_NAMES } from './pv.js';
import { EXIT_REASONS } from './vmx.js';

const REASON_FIELDS = ['reason', 'cause', 'op', 'nr', 'after', 'direction'];

/** The field that says why an event happened: a field named like a reason, else its first enumerated field. */
export function reasonField(spec: EventSpec): string | undefined {
  const names = Object.keys(spec.fields);
  return REASON_FIELDS.find((n) => names.includes(n)) ?? names.find((n) => spec.fields[n]?.kind === 'enum');
}

/** Names of numeric reasons: VM exits' basic reasons (Intel SDM Vol. 3C App. C), hypercall numbers (the ABI's). */
const NUMBERED: Readonly<Record<string, Readonly<Record<number, string>>>> = { vmexit: EXIT_REASONS, hypercall: HYPERCALL_NAMES };

/** Why an event happened, by name where the number has one (`IO_INSTRUCTION`, `console_io`), or undefined for an event with no reason. */
export function reasonName(spec: EventSpec, payload: Readonly<Record<string, unknown>>): string | undefined {
  const field = reasonField(spec);
  if (field === undefined) return undefined;
  const value = payload[field];
  return typeof value === 'number' ? (NUMBERED[spec.type]?.[value] ?? String(value)) : String(value);
}

/** Is this an event of the monitor (a VMM, translator or hypervisor), not the guest's own nor the run's? */
export const isMonitorEvent = (spec: EventSpec): boolean => spec.family !== 'guest' && spec.family !== 'run';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { VlabError } from '../../domain/errors.js';
import type { Event } from '../../domain/events/event.js';
import { eventAt, EVENT_TYPES, specByType } from '../../domain/events/registry.js';
import { guestRegisters } from '../../domain/guest-view.js';
import { disassemble } from '../../domain/isa/disasm.js';
import { REG_NAMES } from '../../domain/state/layout.js';
import type { MachineState } from '../../domain/state/machine.js';
import { readPage32 } from '../../domain/state/pages.js';
import { modeSpec } from '../../engines/modes/registry.js';
import { eventText } from '../../replay/event-text.js';
import { TraceReader } from '../../replay/reader.js';
import { recordRun } from '../../replay/record.js';
import { seek } from '../../replay/seek.js';
import { eventsFrom } from '../../replay/source.js';
import { parseCount, parseVmIndex, runConfig, type RunOptions } from '../config.js';
import type { Io } from '../io.js';
import { runOptions } from '../options.js';
import { vmOptions } from '../vms.js';
import { reasonName } from '../../domain/events/reason.js';
import { isTraceFile, reasonField } from './stat.js';

/**
 * `vlab debug`: a gdb-like session over a recorded run. The position is an event; the
 * state after it comes from the nearest checkpoint and determinism (seek), so stepping
 * back costs what stepping forward does, as in rr.
 */
type Stop =
  | { readonly kind: 'pc'; readonly pc: number }
  | { readonly kind: 'event'; readonly type: string }
  | { readonly kind: 'reason'; readonly reason: string }
  | { readonly kind: 'reg'; readonly reg: number }
  | { readonly kind: 'mem'; readonly addr: number };

/** An event as inspect prints it; the run-start event (whose config is not kept here) by its type. */
function textOf(e: Event): string {
  return e.type === 'run-start' ? `#${e.seq} run-start` : eventText(e);
}

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

function stopText(s: Stop): string {
  switch (s.kind) {
    case 'pc': return `pc ${hex(s.pc)}`;
    case 'event': return `event ${s.type}`;
    case 'reason': return `reason ${s.reason}`;
    case 'reg': return `register ${REG_NAMES[s.reg] ?? s.reg}`;
    case 'mem': return `memory ${hex(s.addr)}`;
  }
}

function matches(s: Stop, e: Event): boolean {
  const fields = e as unknown as Record<string, unknown>;
  switch (s.kind) {
    case 'pc': return fields.pc === s.pc;
    case 'event': return e.type === s.type;
    case 'reason': {
      const spec = specByType(e.type);
      const field = spec === undefined ? undefined : reasonField(spec);
      return field !== undefined && spec !== undefined && (String(fields[field]) === s.reason || reasonName(spec, fields) === s.reason);
    }
    case 'reg': return e.effects.some((f) => f.effect === 'cpu.set' && f.a === s.reg);
    case 'mem': return e.effects.some((f) => f.effect.startsWith('memory.write') && f.a >>> 2 === s.addr >>> 2);
  }
}

function parseNumber(text: string | undefined, what: string): number {
  if (text === undefined) throw new VlabError('E_USAGE', `${what} needs a value`);
  return parseCount(what, text);
}

class Session {
  at = 0;
  private readonly stops: Stop[] = [];
  private last: number | undefined;

  constructor(
    private readonly reader: TraceReader,
    private readonly print: (line: string) => void,
    /** The VM whose registers and memory regs, print, x and disas show (several VMs: --vm-index). */
    private readonly vm = 0,
  ) {}

  /** Every event from `from` on, in order. */
  private *events(from: number): Generator<Event> {
    for (const batch of eventsFrom(this.reader, from)) {
      for (let i = Math.max(0, from - batch.start); i < batch.length; i++) yield eventAt(batch, i);
    }
  }

  private lastEvent(): number {
    if (this.last === undefined) {
      let n = 0;
      for (const batch of eventsFrom(this.reader, 0, undefined)) n = batch.start + batch.length;
      this.last = n - 1;
    }
    return this.last;
  }

  private eventAt(n: number): Event {
    for (const e of this.events(n)) return e;
    throw new VlabError('E_USAGE', `no event #${n}`);
  }

  private state(): MachineState {
    return seek(this.reader, this.at + 1).state;
  }

  private show(prefix = ''): void {
    this.print(`${prefix}${textOf(this.eventAt(this.at))}`);
  }

  private registers(): Uint32Array {
    const vm = this.state().vms[this.vm];
    return vm === undefined ? new Uint32Array(REG_NAMES.length) : guestRegisters(vm, modeSpec(this.reader.header.config.mode).projection);
  }

  private word(addr: number): number {
    const vm = this.state().vms[this.vm];
    return vm === undefined ? 0 : readPage32(vm.memory, addr) >>> 0;
  }

  command(line: string): boolean {
    const [name = '', ...args] = line.trim().split(/\s+/);
    switch (name) {
      case '': return true;
      case 'step': case 's': case 'stepi': case 'si': {
        const n = args[0] === undefined ? 1 : parseNumber(args[0], 'step');
        const to = Math.min(this.lastEvent(), this.at + n);
        if (to === this.at) this.print('the run ends here');
        this.at = to;
        this.show();
        return true;
      }
      case 'reverse-step': case 'rs': case 'reverse-stepi': case 'rsi': {
        const n = args[0] === undefined ? 1 : parseNumber(args[0], 'reverse-step');
        const to = Math.max(0, this.at - n);
        if (to === this.at) this.print('the run starts here');
        this.at = to;
        this.show();
        return true;
      }
      case 'continue': case 'c': return this.continueForward();
      case 'reverse-continue': case 'rc': return this.continueBackward();
      case 'break': case 'b': case 'watch': {
        const stop = parseStop(name === 'watch' ? ['watch', ...args] : args);
        this.stops.push(stop);
        this.print(`${name === 'watch' ? 'Watchpoint' : 'Breakpoint'} ${this.stops.length}: ${stopText(stop)}`);
        return true;
      }
      case 'delete': this.stops.length = 0; this.print('all breakpoints deleted'); return true;
      case 'info': case 'registers': case 'regs': {
        if (name === 'info' && args[0] === 'breakpoints') {
          this.stops.forEach((s, i) => this.print(`${i + 1}  ${stopText(s)}`));
          return true;
        }
        const regs = this.registers();
        for (let i = 0; i < 11; i++) this.print(`${(REG_NAMES[i] ?? '').padEnd(6)} ${hex(regs[i] ?? 0).padEnd(12)} ${regs[i] ?? 0}`);
        return true;
      }
      case 'print': case 'p': {
        const reg = REG_NAMES.indexOf((args[0] ?? '').replace(/^\$/, ''));
        if (reg < 0) throw new VlabError('E_USAGE', `print takes a register: ${REG_NAMES.join(' ')}`);
        this.print(`${REG_NAMES[reg]} = ${hex(this.registers()[reg] ?? 0)}`);
        return true;
      }
      case 'x': {
        const addr = parseNumber(args[0], 'x');
        const count = args[1] === undefined ? 4 : parseNumber(args[1], 'x');
        for (let i = 0; i < count; i += 4) {
          const words = Array.from({ length: Math.min(4, count - i) }, (_, k) => hex(this.word(addr + 4 * (i + k))).padEnd(11));
          this.print(`${hex(addr + 4 * i)}: ${words.join(' ').trimEnd()}`);
        }
        return true;
      }
      case 'disas': case 'disassemble': {
        const pc = this.registers()[REG_NAMES.indexOf('pc')] ?? 0;
        for (let k = -2; k <= 2; k++) {
          const addr = pc + 8 * k;
          if (addr < 0) continue;
          this.print(`${k === 0 ? '=>' : '  '} ${hex(addr)}: ${disassemble(this.word(addr), this.word(addr + 4))}`);
        }
        return true;
      }
      case 'event': case 'where': this.show(); return true;
      case 'why': return this.why();
      case 'quit': case 'q': return false;
      case 'help':
        this.print('step [n], reverse-step [n], continue, reverse-continue, break pc ADDR | event TYPE | reason R,');
        this.print('watch reg NAME | mem ADDR, delete, info breakpoints, info registers, print REG, x ADDR [n],');
        this.print('disas, event, why, quit');
        return true;
      default:
        this.print(`unknown command '${name}' (help lists them)`);
        return true;
    }
  }

  private continueForward(): boolean {
    if (this.stops.length === 0) this.print('no breakpoints: running to the end');
    for (const e of this.events(this.at + 1)) {
      const hit = this.stops.findIndex((s) => matches(s, e));
      if (hit >= 0) {
        this.at = e.seq;
        this.show(hitText(this.stops, hit));
        return true;
      }
    }
    this.at = this.lastEvent();
    this.show('the run ended: ');
    return true;
  }

  private continueBackward(): boolean {
    let found: { seq: number; hit: number } | undefined;
    for (const e of this.events(0)) {
      if (e.seq >= this.at) break;
      const hit = this.stops.findIndex((s) => matches(s, e));
      if (hit >= 0) found = { seq: e.seq, hit };
    }
    if (found === undefined) {
      this.at = 0;
      this.show('the run started: ');
      return true;
    }
    this.at = found.seq;
    this.show(hitText(this.stops, found.hit));
    return true;
  }

  /** The monitor event that brought us here, or the latest one before it. */
  private why(): boolean {
    let latest: Event | undefined;
    for (const e of this.events(0)) {
      if (e.seq > this.at) break;
      const spec = specByType(e.type);
      if (spec !== undefined && spec.family !== 'guest' && spec.family !== 'run') latest = e;
    }
    if (latest === undefined) {
      this.print(`no monitor event up to #${this.at}: the guest ran on its own`);
      return true;
    }
    const spec = specByType(latest.type);
    this.print(`${latest.seq === this.at ? 'here' : `${this.at - latest.seq} events ago`}: ${textOf(latest)}`);
    this.print(`  ${latest.type}: ${spec?.doc ?? ''}`);
    return true;
  }
}

function hitText(stops: readonly Stop[], hit: number): string {
  const s = stops[hit] as Stop;
  return `${s.kind === 'reg' || s.kind === 'mem' ? 'Watchpoint' : 'Breakpoint'} ${hit + 1} (${stopText(s)}): `;
}

function parseStop(args: readonly string[]): Stop {
  const [kind, value] = args;
  switch (kind) {
    case 'pc': return { kind: 'pc', pc: parseNumber(value, 'break pc') };
    case 'event':
      if (value === undefined || !(EVENT_TYPES as readonly string[]).includes(value)) throw new VlabError('E_USAGE', `break event needs an event type: ${EVENT_TYPES.join(' ')}`);
      return { kind: 'event', type: value };
    case 'reason':
      if (value === undefined) throw new VlabError('E_USAGE', 'break reason needs a reason (as vlab stat shows them)');
      return { kind: 'reason', reason: value };
    case 'watch': {
      const [, what, target] = args;
      if (what === 'reg') {
        const reg = REG_NAMES.indexOf(target ?? '');
        if (reg < 0) throw new VlabError('E_USAGE', `watch reg needs a register: ${REG_NAMES.join(' ')}`);
        return { kind: 'reg', reg };
      }
      if (what === 'mem') return { kind: 'mem', addr: parseNumber(target, 'watch mem') };
      throw new VlabError('E_USAGE', 'watch reg NAME | watch mem ADDR');
    }
    default:
      throw new VlabError('E_USAGE', 'break pc ADDR | break event TYPE | break reason REASON');
  }
}

export function registerDebug(program: Command, io: Io): void {
  vmOptions(runOptions(program.command('debug').argument('<guest|trace>', 'a guest (recorded first, with its events; VM 0 when there are several) or a trace file')))
    .option('--vm-index <n>', 'several VMs: regs, print, x and disas show this VM (default 0)')
    .description('step through a run forwards and backwards, gdb-like (commands on stdin; help lists them)')
    .action(async (target: string, options: RunOptions & { vmIndex?: string }) => {
      const trace = isTraceFile(target);
      const config = trace ? undefined : runConfig(target, options);
      if (config !== undefined) parseVmIndex(options.vmIndex, config, target);
      const dir = trace ? undefined : mkdtempSync(join(tmpdir(), 'vlab-debug-'));
      const path = dir === undefined ? target : join(dir, 'run.vtrace');
      try {
        if (dir !== undefined && config !== undefined) recordRun(config, path, { events: true });
        const r = new TraceReader(path);
        try {
          const c = r.header.config;
          const vm = parseVmIndex(options.vmIndex, c, target) ?? 0;
          io.out(`vlab debug: ${c.guest}${c.extraVms === undefined ? '' : ` and ${c.extraVms.length} more VM${c.extraVms.length === 1 ? '' : 's'}, showing VM ${vm}`}, mode ${c.mode} (isa ${c.isa}); at event #0\n`);
          const session = new Session(r, (line) => io.out(`${line}\n`), vm);
          for await (const line of io.lines?.() ?? []) {
            if (io.echo === true) io.out(`(vlab) ${line}\n`);
            try {
              if (!session.command(line)) break;
            } catch (e) {
              if (!(e instanceof VlabError)) throw e;
              io.out(`${e.message}\n`);
            }
          }
        } finally {
          r.close();
        }
      } finally {
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
      }
    });
}

import { Eff } from '../../domain/events/effects.js';
import type { EventBatch } from '../../domain/events/batch.js';
import { IrqLine, Port } from '../../domain/isa/arch.js';
import { Dev, MAX_DISK_SECTORS_PER_COMMAND } from '../../domain/state/layout.js';
import type { Machine } from '../../domain/state/machine.js';

/**
 * The device models every mode talks to (docs/machine.md). `peek` is the value a port read
 * returns, computed without side effects; `read` and `write` add the device's response as
 * effects to the open `io` event.
 */
export interface Devices {
  peek(m: Machine, port: number): number;
  read(m: Machine, port: number, out: EventBatch): void;
  /** Returns the exit code when the write ends the run, else undefined. */
  write(m: Machine, port: number, value: number, out: EventBatch): number | undefined;
}

const SECTOR_WORDS = 128;
const DiskStatus = { ERR: 1 << 0, DRQ: 1 << 3 } as const;
const DiskCommand = { READ: 0x20, WRITE: 0x30 } as const;
const ConsoleStatus = { INPUT_READY: 1 << 0, CAN_SEND: 1 << 5 } as const;

const dev = (out: EventBatch, register: number, value: number): void => out.effect(Eff.DEV, register, value >>> 0);

export function raiseLine(m: Machine, out: EventBatch, line: number): void {
  dev(out, Dev.PIC_PENDING, (m.dev[Dev.PIC_PENDING] as number) | (1 << line));
}

function sectorCount(m: Machine): number {
  const n = m.dev[Dev.DISK_COUNT] as number;
  return n === 0 ? 1 : Math.min(n, MAX_DISK_SECTORS_PER_COMMAND);
}

function diskCommand(m: Machine, command: number, out: EventBatch): void {
  const lba = m.dev[Dev.DISK_LBA] as number;
  const n = sectorCount(m);
  dev(out, Dev.DISK_COMMAND, command);
  if (lba + n > m.disk.size / 512 || (command !== DiskCommand.READ && command !== DiskCommand.WRITE)) {
    dev(out, Dev.DISK_STATUS, DiskStatus.ERR);
    raiseLine(m, out, IrqLine.DISK);
    return;
  }
  if (command === DiskCommand.READ) {
    for (let w = 0; w < n * SECTOR_WORDS; w++) out.effect(Eff.DISK_BUFFER, w, m.disk.read32(lba * 512 + 4 * w));
    raiseLine(m, out, IrqLine.DISK);
  }
  dev(out, Dev.DISK_STATUS, DiskStatus.DRQ);
  dev(out, Dev.DISK_POS, 0);
  dev(out, Dev.DISK_LENGTH, n * SECTOR_WORDS);
}

function diskDataWrite(m: Machine, value: number, out: EventBatch): void {
  const pos = m.dev[Dev.DISK_POS] as number;
  const length = m.dev[Dev.DISK_LENGTH] as number;
  if (!((m.dev[Dev.DISK_STATUS] as number) & DiskStatus.DRQ) || m.dev[Dev.DISK_COMMAND] !== DiskCommand.WRITE) return;
  out.effect(Eff.DISK_BUFFER, pos, value >>> 0);
  dev(out, Dev.DISK_POS, pos + 1);
  if ((pos + 1) % SECTOR_WORDS === 0) {
    const first = pos + 1 - SECTOR_WORDS;
    const base = ((m.dev[Dev.DISK_LBA] as number) + first / SECTOR_WORDS) * 512;
    for (let w = 0; w < SECTOR_WORDS; w++) {
      const word = first + w === pos ? value >>> 0 : (m.diskBuffer[first + w] as number);
      out.effect(Eff.DISK, base + 4 * w, word);
    }
  }
  if (pos + 1 === length) {
    dev(out, Dev.DISK_STATUS, 0);
    raiseLine(m, out, IrqLine.DISK);
  }
}

function diskDataRead(m: Machine, out: EventBatch): void {
  const pos = m.dev[Dev.DISK_POS] as number;
  if (!((m.dev[Dev.DISK_STATUS] as number) & DiskStatus.DRQ) || m.dev[Dev.DISK_COMMAND] !== DiskCommand.READ) return;
  dev(out, Dev.DISK_POS, pos + 1);
  if (pos + 1 === m.dev[Dev.DISK_LENGTH]) dev(out, Dev.DISK_STATUS, 0);
}

function diskDataPeek(m: Machine): number {
  const readable = (m.dev[Dev.DISK_STATUS] as number) & DiskStatus.DRQ && m.dev[Dev.DISK_COMMAND] === DiskCommand.READ;
  return readable ? (m.diskBuffer[m.dev[Dev.DISK_POS] as number] as number) : 0;
}

function lowestSetBit(bits: number): number {
  return bits === 0 ? 0 : bits & -bits;
}

export const devices: Devices = {
  peek(m, port) {
    switch (port) {
      case Port.PIC_COMMAND: return m.dev[Dev.PIC_IN_SERVICE] as number;
      case Port.PIC_MASK: return m.dev[Dev.PIC_MASK] as number;
      case Port.TIMER: return m.dev[Dev.TIMER_PERIOD] as number;
      case Port.CONSOLE_DATA: {
        const pos = m.dev[Dev.CONSOLE_INPUT_POS] as number;
        return pos < m.input.length ? m.input.charCodeAt(pos) & 0xff : 0;
      }
      case Port.CONSOLE_STATUS:
        return ConsoleStatus.CAN_SEND | ((m.dev[Dev.CONSOLE_INPUT_POS] as number) < m.input.length ? ConsoleStatus.INPUT_READY : 0);
      case Port.DISK_DATA: return diskDataPeek(m);
      case Port.DISK_COUNT: return m.dev[Dev.DISK_COUNT] as number;
      case Port.DISK_LBA: return m.dev[Dev.DISK_LBA] as number;
      case Port.DISK_STATUS: return m.dev[Dev.DISK_STATUS] as number;
      default: return 0xffff_ffff;
    }
  },

  read(m, port, out) {
    if (port === Port.CONSOLE_DATA && (m.dev[Dev.CONSOLE_INPUT_POS] as number) < m.input.length) {
      dev(out, Dev.CONSOLE_INPUT_POS, (m.dev[Dev.CONSOLE_INPUT_POS] as number) + 1);
    } else if (port === Port.DISK_DATA) {
      diskDataRead(m, out);
    }
  },

  write(m, port, value, out) {
    switch (port) {
      case Port.EXIT: return value | 0;
      case Port.CONSOLE_DATA: out.effect(Eff.CONSOLE, 0, value & 0xff); return undefined;
      case Port.PIC_COMMAND: {
        const inService = m.dev[Dev.PIC_IN_SERVICE] as number;
        dev(out, Dev.PIC_IN_SERVICE, inService & ~lowestSetBit(inService));
        return undefined;
      }
      case Port.PIC_MASK: dev(out, Dev.PIC_MASK, value & 0xffff); return undefined;
      case Port.TIMER:
        dev(out, Dev.TIMER_PERIOD, value);
        dev(out, Dev.TIMER_DEADLINE, value === 0 ? 0 : m.ticks + value);
        return undefined;
      case Port.DISK_LBA: dev(out, Dev.DISK_LBA, value); return undefined;
      case Port.DISK_COUNT: dev(out, Dev.DISK_COUNT, value); return undefined;
      case Port.DISK_STATUS: diskCommand(m, value, out); return undefined;
      case Port.DISK_DATA: diskDataWrite(m, value, out); return undefined;
      default: return undefined;
    }
  },
};

import { Eff } from '../../domain/events/effects.js';
import { IrqLine, Port } from '../../domain/isa/arch.js';
import { Dev, MAX_DISK_SECTORS_PER_COMMAND } from '../../domain/state/layout.js';
import { raiseLine, setDevice } from './pic.js';
/**
 * The device models every mode talks to (docs/machine.md). `peek` is the value a port read
 * returns, without side effects; `read` and `write` change the devices and log the
 * changes as effects of the open `io` event.
 */
const SECTOR_WORDS = 128;
const DiskStatus = { ERR: 1 << 0, DRQ: 1 << 3 };
const DiskCommand = { READ: 0x20, WRITE: 0x30 };
const ConsoleStatus = { INPUT_READY: 1 << 0, CAN_SEND: 1 << 5 };
const dev = (vm, register) => vm.dev[register] >>> 0;
function sectorCount(vm) {
    const n = dev(vm, Dev.DISK_COUNT);
    return n === 0 ? 1 : Math.min(n, MAX_DISK_SECTORS_PER_COMMAND);
}
function setBuffer(vm, log, word, value) {
    vm.diskBuffer[word] = value;
    log.effect(Eff.DISK_BUFFER, word, value >>> 0);
}
function diskCommand(vm, log, command) {
    const lba = dev(vm, Dev.DISK_LBA);
    const n = sectorCount(vm);
    setDevice(vm, log, Dev.DISK_COMMAND, command);
    if (lba + n > vm.disk.size / 512 || (command !== DiskCommand.READ && command !== DiskCommand.WRITE)) {
        setDevice(vm, log, Dev.DISK_STATUS, DiskStatus.ERR);
        raiseLine(vm, log, IrqLine.DISK);
        return;
    }
    if (command === DiskCommand.READ) {
        for (let w = 0; w < n * SECTOR_WORDS; w++)
            setBuffer(vm, log, w, vm.disk.read32(lba * 512 + 4 * w));
        raiseLine(vm, log, IrqLine.DISK);
    }
    setDevice(vm, log, Dev.DISK_STATUS, DiskStatus.DRQ);
    setDevice(vm, log, Dev.DISK_POS, 0);
    setDevice(vm, log, Dev.DISK_LENGTH, n * SECTOR_WORDS);
}
function diskDataWrite(vm, log, value) {
    const pos = dev(vm, Dev.DISK_POS);
    if (!(dev(vm, Dev.DISK_STATUS) & DiskStatus.DRQ) || dev(vm, Dev.DISK_COMMAND) !== DiskCommand.WRITE)
        return;
    setBuffer(vm, log, pos, value);
    setDevice(vm, log, Dev.DISK_POS, pos + 1);
    if ((pos + 1) % SECTOR_WORDS === 0) {
        const first = pos + 1 - SECTOR_WORDS;
        const base = (dev(vm, Dev.DISK_LBA) + first / SECTOR_WORDS) * 512;
        for (let w = 0; w < SECTOR_WORDS; w++) {
            const word = vm.diskBuffer[first + w] >>> 0;
            vm.disk.write32(base + 4 * w, word);
            log.effect(Eff.DISK32, base + 4 * w, word);
        }
    }
    if (pos + 1 === dev(vm, Dev.DISK_LENGTH)) {
        setDevice(vm, log, Dev.DISK_STATUS, 0);
        raiseLine(vm, log, IrqLine.DISK);
    }
}
function diskDataRead(vm, log) {
    const pos = dev(vm, Dev.DISK_POS);
    if (!(dev(vm, Dev.DISK_STATUS) & DiskStatus.DRQ) || dev(vm, Dev.DISK_COMMAND) !== DiskCommand.READ)
        return;
    setDevice(vm, log, Dev.DISK_POS, pos + 1);
    if (pos + 1 === dev(vm, Dev.DISK_LENGTH))
        setDevice(vm, log, Dev.DISK_STATUS, 0);
}
const lowestSetBit = (bits) => (bits === 0 ? 0 : bits & -bits);
export function peekPort(vm, port) {
    switch (port) {
        case Port.PIC_COMMAND: return dev(vm, Dev.PIC_IN_SERVICE);
        case Port.PIC_MASK: return dev(vm, Dev.PIC_MASK);
        case Port.TIMER: return dev(vm, Dev.TIMER_PERIOD);
        case Port.CONSOLE_DATA: {
            const pos = dev(vm, Dev.CONSOLE_INPUT_POS);
            return pos < vm.input.length ? vm.input.charCodeAt(pos) & 0xff : 0;
        }
        case Port.CONSOLE_STATUS: return ConsoleStatus.CAN_SEND | (dev(vm, Dev.CONSOLE_INPUT_POS) < vm.input.length ? ConsoleStatus.INPUT_READY : 0);
        case Port.DISK_DATA: {
            const readable = dev(vm, Dev.DISK_STATUS) & DiskStatus.DRQ && dev(vm, Dev.DISK_COMMAND) === DiskCommand.READ;
            return readable ? vm.diskBuffer[dev(vm, Dev.DISK_POS)] >>> 0 : 0;
        }
        case Port.DISK_COUNT: return dev(vm, Dev.DISK_COUNT);
        case Port.DISK_LBA: return dev(vm, Dev.DISK_LBA);
        case Port.DISK_STATUS: return dev(vm, Dev.DISK_STATUS);
        default: return 0xffff_ffff;
    }
}
/** The side effects of a port read (the value is `peekPort`'s). */
export function readPort(vm, log, port) {
    if (port === Port.CONSOLE_DATA && dev(vm, Dev.CONSOLE_INPUT_POS) < vm.input.length) {
        setDevice(vm, log, Dev.CONSOLE_INPUT_POS, dev(vm, Dev.CONSOLE_INPUT_POS) + 1);
    }
    else if (port === Port.DISK_DATA) {
        diskDataRead(vm, log);
    }
}
/** A port write; returns the exit code when it ends the run (the exit port), else undefined. */
export function writePort(vm, log, port, value, ticks) {
    switch (port) {
        case Port.EXIT: return value | 0;
        case Port.CONSOLE_DATA:
            vm.console.append(value & 0xff);
            log.effect(Eff.CONSOLE, 0, value & 0xff);
            return undefined;
        case Port.PIC_COMMAND:
            setDevice(vm, log, Dev.PIC_IN_SERVICE, dev(vm, Dev.PIC_IN_SERVICE) & ~lowestSetBit(dev(vm, Dev.PIC_IN_SERVICE)));
            return undefined;
        case Port.PIC_MASK:
            setDevice(vm, log, Dev.PIC_MASK, value & 0xffff);
            return undefined;
        case Port.TIMER:
            setDevice(vm, log, Dev.TIMER_PERIOD, value);
            setDevice(vm, log, Dev.TIMER_DEADLINE, value === 0 ? 0 : ticks + value);
            return undefined;
        case Port.DISK_LBA:
            setDevice(vm, log, Dev.DISK_LBA, value);
            return undefined;
        case Port.DISK_COUNT:
            setDevice(vm, log, Dev.DISK_COUNT, value);
            return undefined;
        case Port.DISK_STATUS:
            diskCommand(vm, log, value);
            return undefined;
        case Port.DISK_DATA:
            diskDataWrite(vm, log, value);
            return undefined;
        default: return undefined;
    }
}

import { Eff } from '../../domain/events/effects.js';
import { ring } from '../../domain/events/pv.js';
import { writePhysical32 } from '../cpu/memory.js';
import { BlockRing, Errno, RING_SLOTS, Slot } from './abi.js';
import type { HypervisorPort } from './hypercalls.js';
import { inGuest } from './validate.js';

/** The block device's ring number in `ring` events. */
export const BLOCK_RING = 0;
const SECTOR_BYTES = 512;
const Op = { READ: 0, WRITE: 1 } as const;

/** A request's outcome: 0, or a refusal (a buffer outside the guest's own frames or over a page table, a sector beyond the disk). */
function check(p: HypervisorPort, op: number, sector: number, buffer: number): number {
  if (op !== Op.READ && op !== Op.WRITE) return Errno.EINVAL;
  if ((buffer & 3) !== 0 || !inGuest(p.memoryBytes, buffer, SECTOR_BYTES)) return Errno.EFAULT;
  if (p.paging.isPageTable(buffer >>> 12) || p.paging.isPageTable((buffer + SECTOR_BYTES - 1) >>> 12)) return Errno.EFAULT;
  if ((sector + 1) * SECTOR_BYTES > p.vm.disk.size) return Errno.EINVAL;
  return 0;
}

function transfer(p: HypervisorPort, op: number, sector: number, buffer: number): void {
  const { vm, log } = p;
  for (let w = 0; w < SECTOR_BYTES / 4; w++) {
    if (op === Op.READ) writePhysical32(p.core, buffer + 4 * w, vm.disk.read32(sector * SECTOR_BYTES + 4 * w));
    else {
      const word = vm.memory.read32(buffer + 4 * w);
      vm.disk.write32(sector * SECTOR_BYTES + 4 * w, word);
      log.effect(Eff.DISK32, sector * SECTOR_BYTES + 4 * w, word);
    }
  }
}

/**
 * The block backend (Xen's blkback, in the VMM): on a kick it serves every request the
 * frontend produced since its last response, writes each status, publishes the responses,
 * and sets the request event index to what it consumed, so the frontend kicks again only
 * when it produces past it (vring_need_event) (virtio's EVENT_IDX). The ring page is
 * the guest page `at`; the guest has no interrupt to take: it polls the response index.
 */
export function serveBlockRing(p: HypervisorPort, at: number): void {
  const { vm, log } = p;
  if (at === 4096 || !inGuest(p.memoryBytes, at, 4096) || p.paging.isPageTable(at >>> 12)) {
    log.emit(ring, p.vmIndex, { op: 'kick', ring: BLOCK_RING, count: 0 }); // no ring page the backend may write: nothing served
    return;
  }
  const prod = vm.memory.read32(at + BlockRing.REQ_PROD);
  const cons = vm.memory.read32(at + BlockRing.RSP_PROD);
  const count = (prod - cons) >>> 0;
  log.emit(ring, p.vmIndex, { op: 'kick', ring: BLOCK_RING, count: Math.min(count, RING_SLOTS) });
  if (count === 0 || count > RING_SLOTS) return;
  log.open(ring, p.vmIndex, { op: 'complete', ring: BLOCK_RING, count });
  for (let i = cons; i !== prod; i = (i + 1) >>> 0) {
    const slot = at + BlockRing.SLOTS + (i % RING_SLOTS) * Slot.BYTES;
    const op = vm.memory.read32(slot + Slot.OP);
    const sector = vm.memory.read32(slot + Slot.SECTOR);
    const buffer = vm.memory.read32(slot + Slot.BUFFER);
    const status = check(p, op, sector, buffer);
    if (status === 0) transfer(p, op, sector, buffer);
    writePhysical32(p.core, slot + Slot.STATUS, status);
  }
  writePhysical32(p.core, at + BlockRing.RSP_PROD, prod);
  writePhysical32(p.core, at + BlockRing.REQ_EVENT, prod);
  log.close();
}

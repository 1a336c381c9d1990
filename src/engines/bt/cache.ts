import { tcEntry, tcFrame, tcInvalidate, translate } from '../../domain/events/bt.js';
import { Eff } from '../../domain/events/effects.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { EventLog } from '../cpu/log.js';
import { countOf, type Block } from './translator.js';

/** The cache holds this many blocks; one more flushes it whole (Adams & Agesen 2006 §3.1: a bounded TC). */
export const TC_BLOCKS = 2048;

/**
 * The translation cache: the VM's `tc` field (guest pc → code frame and block length),
 * changed only through `translate` and `tc-invalidate` events, so a trace folds to the same
 * cache. Beside it, what the engine derives from it: the blocks of each code frame, and
 * `watch` by frame number for the CPU core, so a store to translated code is seen.
 */
export class TranslationCache {
  readonly watch: Int32Array;
  private readonly byFrame = new Map<number, Set<number>>();
  private readonly written: number[] = [];

  constructor(
    private readonly vm: LiveVm,
    private readonly log: EventLog,
    private readonly vmIndex: number,
    private readonly limit = TC_BLOCKS,
  ) {
    this.watch = new Int32Array(vm.memory.size >>> 12);
    for (const pc of vm.tc.keys()) this.index(pc, tcFrame(vm.tc.get(pc) >>> 0));
  }

  /** Is the block at pc translated from this frame (the guest may have remapped pc since)? */
  has(pc: number, frame: number): boolean {
    const entry = this.vm.tc.get(pc) >>> 0;
    return entry !== 0 && tcFrame(entry) === frame;
  }

  add(block: Block, frame: number): void {
    if (this.vm.tc.size >= this.limit) this.flush();
    const old = this.vm.tc.get(block.pc) >>> 0;
    if (old !== 0) this.byFrame.get(tcFrame(old))?.delete(block.pc);
    const length = block.words.length;
    this.log.open(translate, this.vmIndex, { pc: block.pc, length, inline: countOf(block, 'inline'), callout: countOf(block, 'callout'), frame });
    const entry = tcEntry(frame, length);
    this.vm.tc.set(block.pc, entry);
    this.log.effect(Eff.TC_SET, block.pc, entry);
    this.log.close();
    this.index(block.pc, frame);
  }

  /** A run resumed from a checkpoint indexes the cache it finds, so stores to its code are still seen. */
  private index(pc: number, frame: number): void {
    const pcs = this.byFrame.get(frame) ?? new Set<number>();
    pcs.add(pc);
    this.byFrame.set(frame, pcs);
    this.watch[frame] = 1;
  }

  /** The core saw a store to a watched frame: its translations go before the next block runs. */
  stored(paddr: number): boolean {
    this.written.push(paddr >>> 12);
    return true;
  }

  /** Drops the translations of every code frame written since the last call; true if any went. */
  invalidateWritten(): boolean {
    let any = false;
    while (this.written.length > 0) any = this.invalidate(this.written.shift() as number) || any;
    return any;
  }

  private invalidate(frame: number): boolean {
    const pcs = [...(this.byFrame.get(frame) ?? [])].sort((a, b) => a - b);
    this.byFrame.delete(frame);
    this.watch[frame] = 0;
    if (pcs.length === 0) return false;
    this.log.open(tcInvalidate, this.vmIndex, { reason: 'write', page: (frame << 12) >>> 0, count: pcs.length });
    for (const pc of pcs) {
      this.vm.tc.clear(pc);
      this.log.effect(Eff.TC_CLEAR, pc, 0);
    }
    this.log.close();
    return true;
  }

  private flush(): void {
    this.log.open(tcInvalidate, this.vmIndex, { reason: 'flush', page: 0, count: this.vm.tc.size });
    this.vm.tc.flush();
    this.log.effect(Eff.TC_FLUSH, 0, 0);
    this.log.close();
    this.byFrame.clear();
    this.watch.fill(0);
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VlabError } from '../../../src/domain/errors.js';
import { startRun } from '../../../src/engines/run.js';
import { LAYOUT } from '../../../src/replay/layout.js';
import { recordRun } from '../../../src/replay/record.js';
import { replayTrace, type ReplayOptions } from '../../../src/replay/replay.js';
import { TraceWriter } from '../../../src/replay/writer.js';
import { assembleGuest, configFor } from '../../helpers/run.js';

/**
 * Parallel replay (--jobs) gives what the serial replay gives, message for message. The
 * test runner loads the sources, where no worker thread can start, so here the back half
 * of the intervals is re-executed the way a worker does it (each from its recorded state)
 * and joined the same way; the last test runs the built CLI, whose workers are real.
 */
const dir = mkdtempSync(join(tmpdir(), 'vlab-parallel-'));

function outcome(path: string, options: ReplayOptions): unknown {
  try {
    const r = replayTrace(path, options);
    return { ...r, damage: r.damage?.message };
  } catch (e) {
    if (e instanceof VlabError) return { code: e.code, message: e.message };
    throw e;
  }
}

const same = (path: string, options: ReplayOptions = {}): void => {
  const serial = outcome(path, { ...options, jobs: 1 });
  for (const jobs of [2, 8]) expect(outcome(path, { ...options, jobs }), `${path} --jobs ${jobs}`).toEqual(serial);
};

/** A trace whose header says `recorded` but whose checkpoints come from a run of `ran`: every checkpoint from where they part diverges. */
function forged(name: string, recorded: ReturnType<typeof configFor>, ran: ReturnType<typeof configFor>, every: number): string {
  const path = join(dir, name);
  const writer = new TraceWriter(path, { config: recorded, vlabVersion: 'test', layout: LAYOUT, checkpointEvery: every, events: false });
  const run = startRun(ran, { events: false });
  for (let next = every; !run.runUntil(next); next += every) writer.checkpoint(run.state());
  writer.checkpoint(run.state(), true);
  writer.finish(run.tally);
  return path;
}

describe('replay --jobs N: the serial replay’s result, message for message', () => {
  it('on every golden trace', () => {
    for (const trace of readdirSync('traces').filter((f) => f.endsWith('.vtrace'))) same(join('traces', trace));
  });

  it('on minios recorded with a checkpoint every 4,096 events, in every mode for unmodified guests, on both profiles', () => {
    for (const mode of ['native', 'emulate', 'trap-emulate', 'binary-translation', 'hardware-assist', 'hybrid']) {
      for (const isa of ['classic', 'virtualizable'] as const) {
        const path = join(dir, `minios-${mode}-${isa}.vtrace`);
        recordRun(configFor(assembleGuest('minios'), mode, isa), path, { checkpointEvery: 4096 });
        const r = replayTrace(path, { jobs: 3 });
        expect(r.checkpoints).toBeGreaterThan(10);
        same(path);
      }
    }
  });

  it('on a trace that diverges: the first divergent checkpoint in trace order, though every later one diverges too', () => {
    const image = assembleGuest('minios');
    const path = forged('diverges.vtrace', configFor(image, 'native', 'classic', 60_000), configFor(image, 'native', 'classic', 1_000_000), 4096);
    const serial = outcome(path, { jobs: 1 }) as { code: string; message: string };
    expect(serial.code).toBe('E_DIVERGENCE');
    expect(serial.message).toMatch(/replay diverged at the checkpoint in chunk \d+ .*the run is at event/);
    same(path);
  });

  it('on damaged traces: truncated, a bit flipped, with and without --salvage', () => {
    const path = join(dir, 'damaged.vtrace');
    recordRun(configFor(assembleGuest('minios'), 'trap-emulate'), path, { checkpointEvery: 2048 });
    const golden = readFileSync(path);
    for (let k = 1; k < 12; k += 2) {
      const cut = join(dir, 'cut.vtrace');
      writeFileSync(cut, golden.subarray(0, Math.floor((golden.length * k) / 12)));
      same(cut);
      same(cut, { salvage: true });
      const flipped = join(dir, 'flipped.vtrace');
      const bytes = Buffer.from(golden);
      const at = Math.floor((bytes.length * k) / 12);
      bytes[at] = (bytes[at] as number) ^ 0x10;
      writeFileSync(flipped, bytes);
      same(flipped);
      same(flipped, { salvage: true });
    }
  });

  it.skipIf(!existsSync('dist/src/replay/replay-worker.js'))('the built CLI with worker threads: the same output and exit status as --jobs 1', () => {
    const image = assembleGuest('minios');
    const traces = [
      forged('cli-diverges.vtrace', configFor(image, 'native', 'classic', 60_000), configFor(image, 'native', 'classic', 1_000_000), 4096),
      join(dir, 'minios-hardware-assist-virtualizable.vtrace'),
    ];
    const cli = (...args: string[]): { status: number; out: string } => {
      try {
        return { status: 0, out: execFileSync(process.execPath, ['bin/vlab.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
      } catch (e) {
        const x = e as { status: number; stdout: string; stderr: string };
        return { status: x.status, out: x.stdout + x.stderr };
      }
    };
    for (const trace of traces) {
      const serial = cli('replay', trace, '--jobs', '1', '--json');
      expect(cli('replay', trace, '--jobs', '2', '--json'), trace).toEqual(serial);
    }
  });

  it.skipIf(!existsSync('dist/src/replay/replay-worker.js'))('the built library: workers kept between replays in one process give the serial result every time, after a divergence too; workers that cannot start change nothing', () => {
    const image = assembleGuest('minios');
    const diverges = forged('lib-diverges.vtrace', configFor(image, 'native', 'classic', 60_000), configFor(image, 'native', 'classic', 1_000_000), 4096);
    const fine = join(dir, 'lib-fine.vtrace');
    recordRun(configFor(image, 'trap-emulate', 'classic'), fine, { checkpointEvery: 4096 });
    const script = `
      const { replayTrace } = await import(${JSON.stringify(pathToFileURL('dist/src/replay/replay.js').href)});
      const outcome = (path, jobs) => { try { const r = replayTrace(path, { jobs, eventsPerThreadStart: 0 }); return JSON.stringify({ ...r, damage: r.damage?.message }); } catch (e) { return JSON.stringify({ code: e.code, message: e.message }); } };
      const lines = [];
      for (let round = 0; round < 3; round++) for (const path of ${JSON.stringify([fine, diverges, fine])}) lines.push([outcome(path, 1), outcome(path, 2), outcome(path, 4)]);
      console.log(JSON.stringify(lines));`;
    const main = join(dir, 'replay-many.mjs');
    writeFileSync(main, script);
    // --input-type passes on to worker threads, which then fail to start: the replaying thread does it all.
    for (const args of [[main], ['--input-type=module', '-e', script]]) {
      const lines = JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' })) as string[][];
      expect(lines).toHaveLength(9);
      for (const [serial, two, four] of lines) expect([two, four]).toEqual([serial, serial]);
      expect(JSON.parse(lines[1]?.[0] as string)).toMatchObject({ code: 'E_DIVERGENCE' });
      expect(JSON.parse(lines[0]?.[0] as string)).toMatchObject({ how: 'reexecuted', checkpoints: 43 });
    }
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/replay/replay.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 during vlab record', () => {
  it.skipIf(!existsSync('dist/src/cli/main.js'))('leaves a file whose prefix replays', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'vlab-kill-')), 'killed.vtrace');
    const recorder = spawn(process.execPath, ['bin/vlab.js', 'record', 'bench/guests/compute.s', '-D', 'N=50000000', '-o', trace, '--checkpoint-every', '100000'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => recorder.on('exit', () => resolve()));
    for (let waited = 0; waited < 20_000 && !(existsSync(trace) && statSync(trace).size > 200_000); waited += 50) await sleep(50);
    recorder.kill('SIGKILL');
    await exited;
    expect(recorder.signalCode).toBe('SIGKILL');
    const salvaged = replayTrace(trace, { salvage: true });
    expect(salvaged.summary.events).toBeGreaterThan(100_000);
    expect(salvaged.complete).toBe(false);
    expect(salvaged.checkpoints).toBeGreaterThan(0);
  }, 30_000);
});

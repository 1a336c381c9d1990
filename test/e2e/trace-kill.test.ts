import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../src/replay/replay.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('kill -9 during vlab record', () => {
  it.skipIf(!existsSync('dist/src/cli/main.js'))('leaves PATH.partial, whose prefix replays, and nothing under PATH', async () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'vlab-kill-')), 'killed.vtrace');
    const partial = `${trace}.partial`;
    const recorder = spawn(process.execPath, ['bin/vlab.js', 'record', 'bench/guests/compute.s', '-D', 'N=500000000', '-o', trace, '--checkpoint-every', '1000000'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => recorder.on('exit', () => resolve()));
    for (let waited = 0; waited < 20_000 && !(existsSync(partial) && statSync(partial).size > 3_000); waited += 50) await sleep(50);
    recorder.kill('SIGKILL');
    await exited;
    expect(recorder.signalCode).toBe('SIGKILL');
    expect(existsSync(trace)).toBe(false);
    const salvaged = replayTrace(partial, { salvage: true });
    expect(salvaged.summary.events).toBeGreaterThanOrEqual(1_000_000);
    expect(salvaged.complete).toBe(false);
    expect(salvaged.checkpoints).toBeGreaterThan(0);
  }, 30_000);
});

describe('streaming to a reader that goes away', () => {
  it.skipIf(!existsSync('dist/src/cli/main.js'))('vlab inspect … | head -2 prints two lines and exits 0 once head is gone, without producing the rest', async () => {
    const shell = spawn('bash', ['-c', 'set -o pipefail; node bin/vlab.js inspect traces/minios-native.vtrace --range 0..10000000 | head -2; echo "exit ${PIPESTATUS[0]}"'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    shell.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise<void>((resolve) => shell.on('exit', () => resolve()));
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^#0 run-start /);
    expect(lines[2]).toBe('exit 0');
  }, 30_000);
});

describe('record --events through the worker thread (the built CLI)', () => {
  it.skipIf(!existsSync('dist/src/cli/main.js'))('keeps every event whole, the run-start config included', () => {
    const trace = join(mkdtempSync(join(tmpdir(), 'vlab-worker-')), 'hello.vtrace');
    execFileSync(process.execPath, ['bin/vlab.js', 'record', 'hello', '--events', '-o', trace], { stdio: 'ignore' });
    const out = execFileSync(process.execPath, ['bin/vlab.js', 'inspect', trace, '--range', '0..1'], { encoding: 'utf8' });
    expect(out.split('\n')[0]).toBe('#0 run-start native classic hello (0 cycles)');
  });
});

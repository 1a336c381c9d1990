import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { wantColour } from '../../src/cli/io.js';

async function vlab(isTTY: boolean, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY });
  return { code, out, err };
}

const BOLD = '\u001b[1m';

describe('terminal manners', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('colour on a terminal; never with --no-color or NO_COLOR; FORCE_COLOR forces it off a terminal', async () => {
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', undefined);
    expect((await vlab(true, 'run', 'hello')).out).toContain(`${BOLD}guest`);
    expect((await vlab(true, 'run', 'hello', '--no-color')).out).not.toContain(BOLD);
    expect((await vlab(true, '--no-color', 'run', 'hello')).out).not.toContain(BOLD);
    expect((await vlab(false, 'run', 'hello')).out).not.toContain(BOLD);
    vi.stubEnv('FORCE_COLOR', '1');
    expect((await vlab(false, 'run', 'hello')).out).toContain(`${BOLD}guest`);
    expect((await vlab(false, 'run', 'hello', '--no-color')).out).not.toContain(BOLD);
    vi.stubEnv('NO_COLOR', '1');
    expect((await vlab(true, 'run', 'hello')).out).not.toContain(BOLD);
  });

  it('wantColour: FORCE_COLOR=0 is off', () => {
    expect(wantColour({ out: () => {}, err: () => {}, isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantColour({ out: () => {}, err: () => {}, isTTY: false }, { FORCE_COLOR: '' })).toBe(true);
  });

  it('tables fit 100 columns: the run summary wraps its values, compare and stat are narrow', async () => {
    for (const argv of [['run', 'minios', '--mode', 'trap-emulate'], ['compare', 'minios', '--isa', 'classic,virtualizable'], ['stat', 'minios'], ['--help'], ['run', '--help'], ['compare', '--help'], ['stat', '--help']]) {
      const r = await vlab(false, ...argv);
      for (const line of r.out.split('\n')) expect(line.length, `${argv.join(' ')}: ${line}`).toBeLessThanOrEqual(100);
    }
    const wrapped = (await vlab(false, 'run', 'minios', '--mode', 'trap-emulate')).out.split('\n');
    expect(wrapped.filter((l) => l.startsWith('│ events') || l.startsWith('│                    │ 4,941, shadow-pt 63'))).toHaveLength(2);
  });

  it('--seed is gone: a run has nothing random (docs/cli.md)', async () => {
    expect((await vlab(false, 'run', 'hello', '--seed', '1')).code).toBe(2);
  });
});

describe('progress on stderr', () => {
  it('drawn on a terminal once the work has gone on for a second, cleared at the end; never when stderr is piped', async () => {
    const { progressBar } = await import('../../src/cli/progress.js');
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
    const wasTTY = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    try {
      let now = 0;
      const io = { out: () => {}, err: () => {}, isTTY: false, errIsTTY: true };
      const bar = progressBar(io, 4, 'runs', () => now);
      bar.update(0, 'native');
      expect(written).toEqual([]);
      now = 1500;
      bar.update(2, 'trap-emulate');
      bar.stop();
      expect(written.join('')).toContain('[===============---------------] 2/4 runs trap-emulate');
      written.length = 0;
      const piped = progressBar({ ...io, errIsTTY: false }, 4, 'runs', () => now);
      now = 5000;
      piped.update(3);
      piped.stop();
      expect(written).toEqual([]);
    } finally {
      spy.mockRestore();
      if (wasTTY === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY;
      else Object.defineProperty(process.stderr, 'isTTY', wasTTY);
    }
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What a user gets from `npm pack`: the tarball installed into an empty project gives a
 * working `npx vlab` and `import { run } from 'vlab'`, with types. Packs the built dist/
 * (`npm ci` and `npm run build` build it); installs the tarball's dependencies from the npm cache or registry.
 * @arethetypeswrong/cli checks its types resolve for ESM consumers (the package is ESM only).
 */
const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const built = existsSync('dist/src/index.js') && existsSync('dist/src/index.d.ts');
const skip = npm.status !== 0 ? 'npm is not available' : !built ? 'dist/ is not built (npm run build)' : undefined;
if (skip !== undefined) console.warn(`test/package/pack.test.ts skipped: ${skip}`);

const root = resolve('.');
const dir = mkdtempSync(join(tmpdir(), 'vlab-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(command: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(skip !== undefined)('npm pack, installed into an empty project', () => {
  it('packs, installs, runs `npx vlab run hello` and imports the typed library', () => {
    const packed = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, root], dir);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz')) as string;
    expect(tarball).toMatch(/^vlab-\d+\.\d+\.\d+\.tgz$/);
    const types = sh(join(root, 'node_modules', '.bin', 'attw'), [join(dir, tarball), '--profile', 'esm-only', '--format', 'table-flipped'], dir);
    expect(types.status, `are the types wrong?\n${types.stdout}${types.stderr}`).toBe(0);
    const project = join(dir, 'project');
    sh('mkdir', ['-p', project], dir);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'project', version: '1.0.0', private: true, type: 'module' }));
    const installed = sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], project);
    expect(installed.status, installed.stderr).toBe(0);

    const cli = sh('npx', ['--no-install', 'vlab', 'run', 'hello'], project);
    expect([cli.status, cli.stdout.split('\n')[0], cli.stderr]).toEqual([0, 'Hello from VX32!', '']);
    const exit = sh('npx', ['--no-install', 'vlab', 'run', 'minios', '--max-insns', '100'], project);
    expect(exit.status).toBe(124);

    writeFileSync(join(project, 'use.ts'), [
      "import { run, modes, type RunSummary } from 'vlab';",
      "const r: RunSummary & { status: number } = run('hello', { mode: modes()[0]?.name });",
      'console.log(JSON.stringify({ console: r.console, status: r.status, endReason: r.endReason }));',
      '',
    ].join('\n'));
    const tsc = sh(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules', '@types'), 'use.ts'], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    writeFileSync(join(project, 'use.mjs'), "import { run } from 'vlab';\nconst r = run('hello');\nconsole.log(JSON.stringify({ console: r.console, status: r.status, endReason: r.endReason }));\n");
    const esm = sh('node', ['use.mjs'], project);
    expect([esm.status, esm.stdout, esm.stderr]).toEqual([0, '{"console":"Hello from VX32!\\n","status":0,"endReason":"exit"}\n', '']);
  }, 180_000);

  it('publint finds nothing to fix in package.json', () => {
    const r = sh(join(root, 'node_modules', '.bin', 'publint'), ['--strict'], root);
    expect([r.status, r.stdout.trim().split('\n').pop()]).toEqual([0, 'All good!']);
  }, 60_000);
});

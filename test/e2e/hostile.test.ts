import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ioError } from '../../src/replay/io-error.js';
import { MODE_NAMES } from '../../src/engines/modes/registry.js';
import { CPU_PROFILES } from '../../src/domain/cost/profile.js';

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'vlab-hostile-'));
const aDir = join(dir, 'a-dir');
mkdirSync(aDir);
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);

function image(header: unknown, body: number[] = []): string {
  const json = Buffer.from(JSON.stringify(header));
  const bytes = Buffer.concat([Buffer.from('VXIMG'), Buffer.from([1]), Buffer.alloc(4), json, Buffer.from(body)]);
  bytes.writeUInt32LE(json.length, 6);
  const path = join(dir, `img-${json.length}-${body.length}.img`);
  writeFileSync(path, bytes);
  return path;
}

/** One line on stderr, never a stack trace, never "internal error". */
async function refused(argv: string[], line: string): Promise<void> {
  const r = await vlab(...argv);
  expect(r.err).toBe(`vlab: ${line}\n`);
  expect(r.code).not.toBe(0);
  expect(r.code).not.toBe(70);
}

describe('hostile inputs get one clear line naming the path and the cause', () => {
  it('a guest that is a directory, a FIFO or an endless device', async () => {
    await refused(['run', aDir], `cannot read guest '${aDir}': EISDIR (is a directory)`);
    await refused(['run', fifo], `cannot read guest '${fifo}': a FIFO, not a regular file`);
    await refused(['run', '/dev/zero'], "cannot read guest '/dev/zero': a device, not a regular file");
  });

  it('a disk image that is missing, a directory, a FIFO or an endless device', async () => {
    await refused(['run', 'hello', '--disk', join(dir, 'none')], `cannot read disk image '${join(dir, 'none')}': ENOENT (no such file or directory)`);
    await refused(['run', 'hello', '--disk', aDir], `cannot read disk image '${aDir}': EISDIR (is a directory)`);
    await refused(['run', 'hello', '--disk', fifo], `cannot read disk image '${fifo}': a FIFO, not a regular file`);
    await refused(['run', 'hello', '--disk', '/dev/zero'], "cannot read disk image '/dev/zero': a device, not a regular file");
  });

  it('inputs are size-checked before they are read', async () => {
    const big = join(dir, 'big.s');
    writeFileSync(big, Buffer.alloc(5 << 20, 0x20));
    await refused(['run', big], `cannot read source '${big}': ${5 << 20} bytes, more than the ${4 << 20} allowed`);
  });

  it('outputs in a missing directory, onto a directory or onto a device', async () => {
    const missing = join(dir, 'no', 't.vtrace');
    await refused(['record', 'hello', '-o', missing], `cannot write trace '${missing}': ENOENT (no such file or directory)`);
    await refused(['record', 'hello', '-o', aDir], `cannot write trace '${aDir}': EISDIR (is a directory)`);
    await refused(['record', 'hello', '-o', '/dev/null'], "cannot write trace '/dev/null': a device, not a regular file");
    await refused(['asm', 'guests/hello.s', '-o', join(dir, 'no', 'x.img')], `cannot write image '${join(dir, 'no', 'x.img')}': ENOENT (no such file or directory)`);
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('an image is written under a temporary name and renamed: nothing else is left', async () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    expect((await vlab('asm', 'guests/hello.s', '-o', join(out, 'h.img'))).code).toBe(0);
    expect(readdirSync(out)).toEqual(['h.img']);
  });

  it('option values are looked up only among the valid choices', async () => {
    await refused(['run', 'hello', '--cpu', '__proto__'], `unknown CPU profile '__proto__' (valid: ${[...CPU_PROFILES.keys()].join(', ')})`);
    await refused(['run', 'hello', '--mode', 'constructor'], `unknown mode 'constructor' (valid: ${MODE_NAMES.join(', ')})`);
    await refused(['run', 'hello', '--isa', 'toString'], "unknown ISA profile 'toString' (valid: classic, virtualizable)");
    await refused(['run', 'hello', '--max-insns', '99999999999999999999'], "--max-insns must be at most 9007199254740991, got '99999999999999999999'");
    // Guest names are looked up among the builds only (vlab fuzz cli --count 2000 --seed 1 found these as stack traces).
    for (const argv of [['run', '__proto__'], ['disasm', 'constructor'], ['tc', 'toString'], ['asm', 'hasOwnProperty']]) {
      const r = await vlab(...argv);
      expect([r.code, r.err.split(':')[0], r.err.split('\n').length]).toEqual([66, `vlab`, 2]);
      expect(r.err).toContain(`unknown guest '${argv[1] ?? ''}'`);
    }
  });

  it('malformed image headers', async () => {
    await refused(['run', image([])], `${image([])}: image header is not an object`);
    await refused(['run', image({ entry: 0, segments: 5 })], `${image({ entry: 0, segments: 5 })}: image header: segments is not a list`);
    await refused(['run', image({ entry: -1, segments: [] })], `${image({ entry: -1, segments: [] })}: image header: entry is not a 32-bit address`);
    const bad = { entry: 0, segments: [{ addr: 0, length: -4 }] };
    await refused(['run', image(bad)], `${image(bad)}: image header: segment 0 needs a 32-bit addr and length`);
    const proto = { entry: 0, segments: [], symbols: { __proto__: 'x' } };
    expect((await vlab('run', image(JSON.parse(JSON.stringify(proto).replace('"symbols":{}', '"symbols":{"__proto__":"x"}'))))).code).not.toBe(70);
  });

  it('images larger than RAM are refused', async () => {
    const src = join(dir, 'beyond.s');
    writeFileSync(src, '.org 0x3ffff0\n.space 0x100\n');
    await refused(['run', src], `${src}: the segment at 0x3ffff0 (256 bytes) ends beyond the guest's 4194304 bytes of RAM`);
    const hdr = { entry: 0, segments: [{ addr: 0xfffffff0, length: 4 }] };
    await refused(['run', image(hdr, [1, 2, 3, 4])], `${image(hdr, [1, 2, 3, 4])}: the segment at 0xfffffff0 (4 bytes) ends beyond the guest's 4194304 bytes of RAM`);
  });

  it('a host error names its cause by errno', () => {
    const e = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(ioError('write trace', 't.vtrace', e).message).toBe("cannot write trace 't.vtrace': ENOSPC (no space left on device)");
    expect(ioError('write trace', 't.vtrace', e).code).toBe('E_IO');
  });
});

describe('every command that reads a trace applies replay’s checks', () => {
  it('replay, replay --cpu, replay --reexec, inspect, inspect --at and diff all reject a trace with a duplicated checkpoint', async () => {
    const good = join(dir, 'good.vtrace');
    expect((await vlab('record', 'hello', '-o', good, '--checkpoint-every', '32', '--events')).code).toBe(0);
    const bytes = new Uint8Array(readFileSync(good));
    const starts: number[] = [];
    for (let at = 12; at + 13 <= bytes.length - 8; at += 13 + Buffer.from(bytes).readUInt32LE(at)) starts.push(at);
    const k = starts.map((at, i) => (i < starts.length - 2 && ((bytes[at + 4] as number) & 0x7f) === 4 ? i : -1)).reduce((a, b) => Math.max(a, b));
    const at = starts[k + 1] as number;
    const bad = join(dir, 'dup.vtrace');
    writeFileSync(bad, Buffer.concat([bytes.subarray(0, at), bytes.subarray(starts[k], at), bytes.subarray(at)]));
    const line = new RegExp(`^vlab: ${bad}: out of order: a checkpoint after event \\d+ follows the one after event \\d+ in chunk ${k + 1} at byte ${at}\\n$`);
    for (const argv of [['replay', bad], ['replay', bad, '--cpu', 'core2-merom-2006'], ['replay', bad, '--reexec'], ['inspect', bad], ['inspect', bad, '--at', '3'], ['diff', bad, good], ['diff', good, bad]]) {
      const r = await vlab(...argv);
      expect(r.err, argv.join(' ')).toMatch(line);
      expect(r.out).not.toContain('equal');
      expect(r.code).not.toBe(0);
    }
    expect((await vlab('diff', good, good)).out).toContain('the guest views are equal');
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';

/** docs/api.md's examples are real: each `<!-- api-example -->` block prints the block after it. */
const EXAMPLE = /<!-- api-example -->\n```js\n([\s\S]*?)```\n```\n([\s\S]*?)```/g;
const examples = [...readFileSync('docs/api.md', 'utf8').matchAll(EXAMPLE)];
const dir = mkdtempSync(join(tmpdir(), 'vlab-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/api.md', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(5));

  examples.forEach((m, n) => {
    it(`example ${n + 1} prints what the doc says`, async () => {
      const file = join(dir, `example-${n}.ts`);
      writeFileSync(file, (m[1] as string).replace(/from 'vlab'/g, `from '${resolve('src/index.ts')}'`));
      let printed = '';
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (printed += `${format(...args)}\n`));
      try {
        await import(file);
      } finally {
        log.mockRestore();
      }
      expect(printed).toBe(m[2]);
    });
  });
});

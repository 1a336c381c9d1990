import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { seriesColours } from '../../src/report/colours.js';
import type { Figure, ReportData } from '../../src/report/model.js';

/**
 * The HTML report in a real browser: Debian's chromium, driven by playwright-core. `.ci/run`
 * installs the package when it is missing; without it this test fails (it does not skip).
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = resolve('test-artifacts');

async function vlab(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

interface ComparedJson {
  runs: { mode: string; isa: string; cycles: number; kinds: { type: string; reason?: string; count: number; cycles: number }[] }[];
}
interface NanoJson {
  rows: { benchmark: string; cyclesPerOp: Record<string, number | null> }[];
}
interface ChartData {
  id: string;
  width: number;
  height: number;
  labels: string[];
  datasets: { label: string; data: (number | null)[] }[];
  colours: string[];
}

const embedded = (html: string): ReportData => JSON.parse(/<script type="application\/json" id="vlab-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null') as ReportData;

describe('the HTML report (compare --html), in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vlab-report-'));
  const file = join(dir, 'report.html');
  let compared: ComparedJson;
  let data: ReportData;
  let context: BrowserContext;

  beforeAll(async () => {
    const r = await vlab('compare', 'minios', '--isa', 'classic,virtualizable', '--json', '--html', file);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`report: ${file}\n`);
    compared = JSON.parse(r.out) as ComparedJson;
    data = embedded(readFileSync(file, 'utf8'));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the runs’ numbers, as `compare --json`, `--suite nanobench --json` and `list cpus --json` print them', async () => {
    const byKind = data.figures.find((f) => f.id === 'cycles-by-kind') as Figure;
    expect(byKind.labels).toEqual(compared.runs.map((r) => `${r.mode} (${r.isa})`));
    compared.runs.forEach((run, i) => {
      expect(byKind.series.reduce((n, s) => n + (s.values[i] ?? 0), 0)).toBe(run.cycles);
      for (const s of byKind.series) expect(s.values[i]).toBe(run.kinds.filter((k) => k.type === s.name).reduce((n, k) => n + k.cycles, 0));
    });
    expect(byKind.series.find((s) => s.name === 'insn')?.values[0]).toBe(16_006_840);

    const reasons = data.figures.find((f) => f.id === 'by-reason') as Figure;
    const ha = reasons.labels.indexOf('hardware-assist (classic)');
    expect(reasons.series.find((s) => s.name === 'vmexit IO_INSTRUCTION')?.values[ha]).toBe(4898);
    expect(reasons.series.find((s) => s.name === 'trap io')?.values[reasons.labels.indexOf('trap-emulate (classic)')]).toBe(4877);

    const nano = JSON.parse((await vlab('compare', '--suite', 'nanobench', '--json')).out) as NanoJson;
    const bench = data.figures.find((f) => f.id === 'nanobench') as Figure;
    expect(bench.labels).toEqual(nano.rows.map((r) => r.benchmark));
    for (const s of bench.series) expect(s.values).toEqual(nano.rows.map((r) => r.cyclesPerOp[s.name] ?? null));

    const cpus = JSON.parse((await vlab('list', 'cpus', '--json')).out) as { name: string; cycles: Record<string, number> }[];
    const transitions = data.figures.find((f) => f.id === 'transitions') as Figure;
    expect(transitions.labels).toEqual(cpus.map((c) => c.name));
    expect(transitions.series[0]?.values).toEqual(cpus.map((c) => (c.cycles.vmexit ?? 0) + (c.cycles.vmentry ?? 0)));
    expect(transitions.series[0]?.values[0]).toBe(4340);

    expect(data.timelines.map((t) => t.id)).toEqual(['native', 'emulate', 'trap-emulate', 'binary-translation', 'hardware-assist', 'paravirt', 'hybrid'].map((m) => `timeline-${m}`));
    for (const t of data.timelines) {
      const run = compared.runs.find((r) => `timeline-${r.mode}` === t.id && r.isa === 'classic');
      expect(t.series.flatMap((s) => s.values).reduce<number>((n, v) => n + (v ?? 0), 0)).toBe(run?.cycles);
    }
  }, 120_000);

  it('loads with no network and no errors, and draws every chart with those numbers', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'vlab-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' || m.type() === 'warning' ? problems.push(`${m.type()}: ${m.text()}`) : undefined));
    page.on('pageerror', (e) => void problems.push(`page error: ${e.message}`));
    page.on('request', (r) => void requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // In the page (this project's TypeScript has no DOM types, so the page's side is plain JavaScript).
    const charts = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((canvas) => {
      const chart = Chart.getChart(canvas);
      return { id: canvas.dataset.figure, width: canvas.width, height: canvas.height, labels: chart.data.labels, datasets: chart.data.datasets.map((d) => ({ label: d.label, data: d.data })), colours: chart.data.datasets.map((d) => d.backgroundColor) };
    })`)) as ChartData[];
    const tables = (await page.evaluate(`[...document.querySelectorAll('table.numbers')].map((t) => ({ id: t.dataset.figure, values: [...t.querySelectorAll('td')].map((td) => td.dataset.value) }))`)) as { id: string; values: string[] }[];

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    const figures = [...data.figures, ...data.timelines];
    expect(charts.map((c) => c.id).sort()).toEqual(figures.map((f) => f.id).sort());
    for (const f of figures) {
      const chart = charts.find((c) => c.id === f.id) as ChartData;
      expect(chart.width, f.id).toBeGreaterThan(0);
      expect(chart.height, f.id).toBeGreaterThan(0);
      expect(chart.labels).toEqual(f.labels);
      expect(chart.datasets).toEqual(f.series.map((s) => ({ label: s.name, data: s.values })));
      expect(chart.colours, f.id).toEqual(seriesColours(f.series.map((s) => s.name)));
      expect(new Set(chart.colours).size, `${f.id}: a colour per series`).toBe(f.series.length);
      const table = tables.find((t) => t.id === f.id);
      expect(table?.values).toEqual(f.labels.flatMap((_, i) => f.series.map((s) => String(s.values[i] ?? ''))));
    }

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    expect(existsSync(join(ARTIFACTS, 'report.png'))).toBe(true);
  }, 120_000);

  it('is the same bytes for the same inputs (record --html, twice)', async () => {
    const pages = [join(dir, 'a.html'), join(dir, 'b.html')];
    for (const [i, html] of pages.entries()) expect((await vlab('record', 'hello', '--mode', 'trap-emulate', '-o', join(dir, `${i}.vtrace`), '--html', html)).code).toBe(0);
    expect(readFileSync(pages[0] as string)).toEqual(readFileSync(pages[1] as string));
    expect(embedded(readFileSync(pages[0] as string, 'utf8')).runs.map((r) => r.label)).toEqual(['trap-emulate (classic)']);
  }, 60_000);

  it('a report that cannot be written is one line and status 74, before any run', async () => {
    for (const argv of [['compare', 'hello'], ['record', 'hello', '-o', join(dir, 'c.vtrace')]]) {
      const r = await vlab(...argv, '--html', join(dir, 'no-such-dir', 'r.html'));
      expect(r.code).toBe(74);
      expect(r.out).toBe('');
      expect(r.err).toBe(`vlab: cannot write report '${join(dir, 'no-such-dir', 'r.html')}': ENOENT (no such file or directory)\n`);
    }
  });
});

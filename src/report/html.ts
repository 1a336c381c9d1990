import { seriesColours } from './colours.js';
import type { Figure, ReportData, ReportRun } from './model.js';

/** Text for HTML content and attribute values. */
const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON inside a script element: no `<` that could close it. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** A figure with a colour per series (colours.ts), as the page draws it. */
const coloured = (f: Figure): Figure & { readonly colours: readonly string[] } => ({ ...f, colours: seriesColours(f.series.map((s) => s.name)) });

const numberCell = (n: number | null): string => `<td data-value="${n ?? ''}">${n === null ? '–' : n.toLocaleString('en-US')}</td>`;

/** A figure's numbers as a table: a row per category, a column per series (what the chart draws). */
function figureTable(f: Figure): string {
  const head = `<tr><th></th>${f.series.map((s) => `<th>${escape(s.name)}</th>`).join('')}</tr>`;
  const rows = f.labels.map((label, i) => `<tr><th>${escape(label)}</th>${f.series.map((s) => numberCell(s.values[i] ?? null)).join('')}</tr>`);
  return `<details><summary>the numbers</summary><table class="numbers" data-figure="${escape(f.id)}">${head}${rows.join('')}</table></details>`;
}

function figure(f: Figure, small = false): string {
  return `<figure id="${escape(f.id)}"${small ? ' class="small"' : ''}>
<figcaption><h${small ? 3 : 2}>${escape(f.title)}</h${small ? 3 : 2}><p>${escape(f.caption)}</p></figcaption>
<div class="chart"><canvas data-figure="${escape(f.id)}" role="img" aria-label="${escape(f.title)}"></canvas></div>
${figureTable(f)}
</figure>`;
}

function runsTable(runs: readonly ReportRun[]): string {
  const row = (r: ReportRun): string =>
    `<tr data-run="${escape(r.label)}"><th>${escape(r.mode)}</th><td>${escape(r.isa)}</td><td>${escape(r.cpu)}</td><td>${escape(r.end)}</td>${numberCell(r.guestInsns)}${numberCell(r.cycles)}<td data-value="${r.slowdown ?? ''}">${r.slowdown === undefined ? '' : `${r.slowdown.toFixed(2)}x`}</td><td>${escape(r.verdict ?? '')}</td><td class="story">${escape(r.story)}</td></tr>`;
  return `<table class="runs"><tr><th>mode</th><th>isa</th><th>cpu</th><th>end</th><th>guest insns</th><th>cycles</th><th>vs native</th><th>same as native</th><th>story</th></tr>${runs.map(row).join('')}</table>`;
}

/** Draws every figure of the embedded data with Chart.js; no animation, so what loads is what is drawn. */
const DRAW = `
const data = JSON.parse(document.getElementById('vlab-data').textContent);
for (const f of [...data.figures, ...data.timelines]) {
  const canvas = document.querySelector('canvas[data-figure="' + f.id + '"]');
  new Chart(canvas, {
    type: f.type,
    data: { labels: f.labels, datasets: f.series.map((s, i) => ({ label: s.name, data: s.values, backgroundColor: f.colours[i], borderColor: f.colours[i] })) },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, indexAxis: f.horizontal ? 'y' : 'x',
      scales: {
        [f.horizontal ? 'y' : 'x']: { stacked: f.stacked },
        [f.horizontal ? 'x' : 'y']: { stacked: f.stacked, type: f.logarithmic ? 'logarithmic' : 'linear', title: { display: true, text: f.unit } },
      },
      plugins: { legend: { position: f.series.length > 20 ? 'bottom' : f.series.length > 8 ? 'right' : 'top' } },
    },
  });
}
`;

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin: 0; } h3 { font-size: 1em; margin: 0; }
figure { margin: 1.5em 0; } figcaption p { margin: 0.2em 0 0.5em; color: #555; }
.chart { position: relative; height: 380px; } .small .chart { height: 200px; }
.runs td, .runs th { white-space: nowrap; } .runs td.story { white-space: normal; }
.timelines { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 0 1.5em; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; } td, th { padding: 2px 8px; text-align: left; }
td[data-value] { text-align: right; } .runs td.story { font-size: 0.9em; color: #555; } tr:nth-child(even) { background: #f4f4f4; }
`;

/**
 * The report as one self-contained HTML page: the data as JSON, the numbers as tables, and the
 * chart library inlined (`library`: Chart.js's UMD build), so that it opens with no network.
 * The same data gives the same bytes.
 */
export function reportHtml(data: ReportData, library: string, version: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vlab ${escape(version)}">
<title>vlab: ${escape(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>vlab: ${escape(data.title)}</h1>
${runsTable(data.runs)}
${data.figures.slice(0, 2).map((f) => figure(f)).join('\n')}
<section id="timelines"><h2>Each mode over virtual time</h2><p>Each bucket’s cycles, split between the machine’s work for the guest and virtualization’s (the cost components from <code>interpret</code> on: interpretation, traps, VMM work, translation, callouts, VM exits and entries). The same scale of time for every mode: a faster run ends sooner.</p>
<div class="timelines">
${data.timelines.map((f) => figure(f, true)).join('\n')}
</div></section>
${data.figures.slice(2).map((f) => figure(f)).join('\n')}
<script type="application/json" id="vlab-data">${scriptJson({ ...data, figures: data.figures.map(coloured), timelines: data.timelines.map(coloured) })}</script>
<script>${library.replace(/<\/script/gi, '<\\/script')}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}

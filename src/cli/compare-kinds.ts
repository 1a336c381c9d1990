import type { KindStat } from '../engines/kinds.js';
import { modeSpec } from '../engines/modes/registry.js';
import { TABLE_WIDTH } from './summary-table.js';
import type { Comparison } from './commands/compare.js';

/** Kinds under this share of a run's cycles are left out of the text (the HTML report shows them all). */
const SHOWN_SHARE = 0.005;

export const kindLabel = (k: KindStat): string => (k.reason === undefined ? k.type : `${k.type} ${k.reason}`);

/** Words laid out in lines of at most `width` columns, each after `indent` (the first after `first`). */
export function wrap(words: readonly string[], first: string, indent: string, width = TABLE_WIDTH, gap = ' '): string {
  const lines: string[] = [];
  let line = first;
  for (const word of words) {
    if (line !== first && line !== indent && line.length + gap.length + word.length > width) {
      lines.push(line);
      line = indent;
    }
    line += line === first || line === indent ? word : gap + word;
  }
  return [...lines, line].join('\n');
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Where each run's cycles went: its kinds of event by share of its cycles, the largest first. */
export function kindsText(c: Comparison): string {
  const measured = c.runs.filter((r) => r.kinds !== undefined);
  if (measured.length === 0) return '';
  const cpus = new Set(c.runs.map((r) => r.summary.cpu)).size > 1;
  const names = measured.map((r) => [r.summary.mode, r.summary.isa, ...(cpus ? [r.summary.cpu] : [])]);
  const widths = (names[0] ?? []).map((_, i) => Math.max(...names.map((n) => (n[i] ?? '').length)));
  const sharesOf = (r: (typeof measured)[number]): string[] =>
    [...(r.kinds ?? [])].filter((k) => k.cycles >= SHOWN_SHARE * r.summary.cycles).sort((a, b) => b.cycles - a.cycles).map((k) => `${kindLabel(k)} ${percent(k.cycles / r.summary.cycles)}`);
  const shares = measured.map(sharesOf);
  const rows = measured.map((r, i) => {
    const head = (names[i] ?? []).map((n, j) => n.padEnd(widths[j] ?? 0)).join('  ') + '  ';
    const mine = shares[i] ?? [];
    const same = measured.findIndex((o, j) => j < i && o.summary.mode === r.summary.mode && o.summary.cpu === r.summary.cpu && shares[j]?.join() === mine.join());
    if (same >= 0) return `${head}as on ${measured[same]?.summary.isa ?? ''}`;
    return wrap(mine, head, ' '.repeat(head.length), TABLE_WIDTH, '  ');
  });
  return `where the cycles go: each run's event kinds by share of its cycles (under ${percent(SHOWN_SHARE)} left out)\n${rows.join('\n')}\n`;
}

/** Each mode of the comparison with its story, from the registry. */
export function storiesText(c: Comparison): string {
  const modes = [...new Set(c.runs.map((r) => r.summary.mode))];
  const width = Math.max(...modes.map((m) => m.length));
  const lines = modes.map((m) => wrap(modeSpec(m).story.split(' '), `  ${m.padEnd(width)}  `, ' '.repeat(width + 4)));
  return `the modes:\n${lines.join('\n')}\n`;
}

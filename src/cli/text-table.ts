/**
 * A borderless table, columns two spaces apart, numbers right-aligned: narrow enough that
 * vlab's tables fit 100 columns (as `ps`, `docker ps`, `perf kvm stat` print theirs).
 */
export function textTable(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[] = []): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (numeric[i] === true ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

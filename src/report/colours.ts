/** A series' family: its event type, the first word of its name (`vmexit IO_INSTRUCTION` → `vmexit`). */
const familyOf = (name: string): string => name.split(' ', 1)[0] ?? name;

/** Hue of the first family, in degrees (a blue, as Chart.js and Tableau start). */
const FIRST_HUE = 210;

/**
 * A colour for every series of a chart, distinct and fixed by the names alone: one hue per
 * family (event type), spaced evenly around the wheel in order of first appearance; within a
 * family, lightness from dark to light (and a hue shift within the family's sector), so
 * `vmexit IO_INSTRUCTION` and `vmexit CR_ACCESS` are two shades of one colour.
 *
 * @example seriesColours(['trap io', 'trap page-fault', 'vmexit HLT']) // two shades of blue, one orange
 */
export function seriesColours(names: readonly string[]): string[] {
  const families = [...new Set(names.map(familyOf))];
  const sector = 360 / Math.max(1, families.length);
  const seen = new Map<string, number>();
  const size = (family: string): number => names.filter((n) => familyOf(n) === family).length;
  return names.map((name) => {
    const family = familyOf(name);
    const f = families.indexOf(family);
    const j = seen.get(family) ?? 0;
    seen.set(family, j + 1);
    const m = size(family);
    const spread = m === 1 ? 0 : j / (m - 1) - 0.5;
    const hue = (FIRST_HUE + f * sector + spread * sector * 0.4 + 360) % 360;
    const lightness = m === 1 ? (f % 2 === 0 ? 45 : 62) : 30 + 45 * (spread + 0.5);
    return `hsl(${hue.toFixed(1)}, 65%, ${lightness.toFixed(1)}%)`;
  });
}

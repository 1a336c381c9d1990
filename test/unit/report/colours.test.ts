import { describe, expect, it } from 'vitest';
import { seriesColours } from '../../../src/report/colours.js';

const hsl = (c: string): [number, number, number] => (/^hsl\(([\d.]+), ([\d.]+)%, ([\d.]+)%\)$/.exec(c)?.slice(1).map(Number) ?? [NaN, NaN, NaN]) as [number, number, number];

describe('report colours: a hue per event type, a shade per reason', () => {
  it('gives every series its own colour, the same for the same names, shades of one hue within a family', () => {
    const names = ['trap io', 'trap page-fault', 'trap privileged', 'vmexit IO_INSTRUCTION', 'vmexit CR_ACCESS', 'hypercall console_io', 'callout io'];
    const colours = seriesColours(names);
    expect(new Set(colours).size).toBe(names.length);
    expect(seriesColours(names)).toEqual(colours);
    const [trapIo, trapPf, vmexit] = [hsl(colours[0] as string), hsl(colours[1] as string), hsl(colours[3] as string)];
    expect(trapIo[2]).toBeLessThan(trapPf[2]);
    expect(Math.abs(trapIo[0] - trapPf[0])).toBeLessThan(Math.abs(trapIo[0] - vmexit[0]));
  });

  it('stays distinct past any fixed palette: 40 series in 5 families', () => {
    const names = ['trap', 'vmexit', 'hypercall', 'callout', 'emulate'].flatMap((f) => Array.from({ length: 8 }, (_, i) => `${f} r${i}`));
    expect(new Set(seriesColours(names)).size).toBe(40);
  });
});

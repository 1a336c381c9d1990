import { VlabError } from '../domain/errors.js';
import { INPUT_LIMITS, readInput } from '../cli/files.js';
import { parseCount, parseCpu, parseDefines, parseMode, parseProfile } from '../cli/config.js';
import { MODE_NAMES } from '../engines/modes/registry.js';
import { checkGrid, DEFAULT_GRID, type Grid } from './grid.js';

/** The command line's grid options; each overrides the same key of a `--grid` file. */
export interface GridOptions {
  readonly grid?: string;
  readonly guests?: string;
  readonly generated?: string;
  readonly seeds?: string;
  readonly modes?: string;
  readonly cpus?: string;
  readonly isa?: string;
  readonly maxInsns?: string;
  readonly define?: readonly string[];
}

const KEYS = ['guests', 'generated', 'seeds', 'cpus', 'isa', 'modes', 'maxInsns', 'define'] as const;

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function strings(value: unknown, key: string, where: string): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw new VlabError('E_USAGE', `${where}: '${key}' must be a list of strings`);
}

function count(value: unknown, key: string, where: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new VlabError('E_USAGE', `${where}: '${key}' must be a whole number`);
}

/** A grid file: one JSON object with any of the grid's keys, the values as the grid holds them. */
function gridFile(path: string): Partial<Record<(typeof KEYS)[number], unknown>> {
  const text = readInput(path, 'grid file', INPUT_LIMITS.source).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new VlabError('E_USAGE', `grid file '${path}': not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VlabError('E_USAGE', `grid file '${path}': must be one JSON object`);
  const unknown = Object.keys(value).find((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new VlabError('E_USAGE', `grid file '${path}': unknown key '${unknown}' (valid: ${KEYS.join(', ')})`);
  return value;
}

/** The grid of a sweep: defaults, then the grid file, then the command line's options; every name checked. */
export function gridOf(options: GridOptions): Grid {
  return gridFrom(options, options.grid === undefined ? {} : gridFile(options.grid), options.grid === undefined ? 'sweep' : `grid file '${options.grid}'`);
}

/** A grid recorded in a sweep's header, checked as a grid file is: a damaged or foreign header is an error, never a misread. */
export function recordedGrid(value: unknown, where: string): Grid {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new VlabError('E_SWEEP', `${where}: the header's grid is not an object`);
  const unknown = Object.keys(value).find((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new VlabError('E_SWEEP', `${where}: the header's grid has an unknown key '${unknown}'`);
  try {
    return gridFrom({}, value, `${where}: the header's grid`);
  } catch (e) {
    if (e instanceof VlabError) throw new VlabError('E_SWEEP', e.message.startsWith(where) ? e.message : `${where}: the header's grid: ${e.message}`);
    throw e;
  }
}

function gridFrom(options: GridOptions, file: Partial<Record<(typeof KEYS)[number], unknown>>, where: string): Grid {
  const pick = <T>(flag: string | undefined, key: (typeof KEYS)[number], fromFlag: (text: string) => T, fromFile: (value: unknown) => T, fallback: T): T =>
    flag !== undefined ? fromFlag(flag) : file[key] !== undefined ? fromFile(file[key]) : fallback;
  const generated = pick(options.generated, 'generated', (t) => parseCount('--generated', t), (v) => count(v, 'generated', where), 0);
  const seeds = pick(options.seeds, 'seeds', (t) => list(t).map((s) => parseCount('--seeds', s)), (v) => (Array.isArray(v) ? v.map((s) => count(s, 'seeds', where)) : [count(v, 'seeds', where)]), DEFAULT_GRID.seeds);
  if (options.seeds !== undefined && generated === 0) throw new VlabError('E_USAGE', `${where}: --seeds are the seeds of generated guests; add --generated N`);
  const define = options.define ?? (file.define === undefined ? [] : strings(file.define, 'define', where));
  parseDefines(define);
  const grid: Grid = {
    guests: pick(options.guests, 'guests', list, (v) => strings(v, 'guests', where), generated > 0 ? [] : ['minios']),
    generated,
    seeds,
    cpus: pick(options.cpus, 'cpus', list, (v) => strings(v, 'cpus', where), DEFAULT_GRID.cpus).map((c) => parseCpu(c).name),
    isa: pick(options.isa, 'isa', list, (v) => strings(v, 'isa', where), [...DEFAULT_GRID.isa]).map(parseProfile),
    modes: pick(options.modes, 'modes', list, (v) => strings(v, 'modes', where), MODE_NAMES).map(parseMode),
    maxInsns: pick(options.maxInsns, 'maxInsns', (t) => parseCount('--max-insns', t), (v) => (v === null ? null : count(v, 'maxInsns', where)), DEFAULT_GRID.maxInsns),
    define,
  };
  return checkGrid(grid, where);
}

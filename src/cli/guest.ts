import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { assemble, formatAsmError } from '../domain/asm/index.js';
import { VlabError } from '../domain/errors.js';
import { decodeImage, isImageFile, ImageFormatError, type Image } from '../domain/image/image.js';
import { INPUT_LIMITS, readInput } from './files.js';
import { packageRoot } from './package-info.js';

export function guestsDir(): string {
  return join(packageRoot(), 'guests');
}

/** Other builds of one source, by name: the paravirtualized minios and the one with paravirtual drivers (docs/paravirt.md). */
export const BUILDS: Readonly<Record<string, { readonly source: string; readonly defines: Readonly<Record<string, number>> }>> = {
  'minios-pv': { source: 'minios', defines: { PV: 1 } },
  'minios-pvdrivers': { source: 'minios', defines: { PVDRIVERS: 1 } },
};

/** A build by its name, looked up among the builds only (`__proto__`, `toString` are not builds). */
const buildNamed = (name: string): (typeof BUILDS)[string] | undefined => (Object.hasOwn(BUILDS, name) ? BUILDS[name] : undefined);

/** The build of `guest` a mode is for (ModeSpec.guestBuild), when there is one; else the guest itself. */
export function buildFor(guest: string, build: 'pv' | 'pvdrivers' | undefined): string {
  return build !== undefined && buildNamed(`${guest}-${build}`) !== undefined ? `${guest}-${build}` : guest;
}

/** Guest names: paths under guests/ without `.s`, and the builds; nano benchmarks also answer to their bare name. */
export function listGuests(): string[] {
  const names: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.s') && !isIncludedPart(path)) names.push(relative(guestsDir(), path).replace(/\.s$/, ''));
    }
  };
  walk(guestsDir());
  return [...names, ...Object.keys(BUILDS)];
}

/** Files included by a kernel (guests/minios/*.s, guests/nano/kernel.s) are not guests of their own. */
function isIncludedPart(path: string): boolean {
  const rel = relative(guestsDir(), path);
  return rel.startsWith('minios/') || rel === join('nano', 'kernel.s');
}

function guestPath(name: string): string | undefined {
  if (existsSync(name)) return name;
  for (const candidate of [name, `nano/${name}`]) {
    const path = join(guestsDir(), `${candidate}.s`);
    if (existsSync(path)) return path;
  }
  return undefined;
}

export function readIncludeFrom(path: string, fromFile: string): string | undefined {
  const target = resolve(dirname(fromFile), path);
  return existsSync(target) ? readInput(target, 'include', INPUT_LIMITS.source).toString('utf8') : undefined;
}

/**
 * A guest shipped with vlab is named by its path in the package (guests/minios.s), not where
 * this checkout lies, so its image and every trace of it are the same from any directory.
 */
export function assembleFile(path: string, defines: Readonly<Record<string, number>>): Image {
  const shipped = relative(packageRoot(), path);
  const file = isAbsolute(path) && shipped.startsWith(`guests${sep}`) ? shipped.split(sep).join('/') : path;
  const readInclude = (include: string, from: string): string | undefined => readIncludeFrom(include, from === file ? path : from);
  const result = assemble(readInput(path, 'source', INPUT_LIMITS.source).toString('utf8'), { file, defines, readInclude });
  if (result.ok) return result.image;
  throw new VlabError('E_ASSEMBLY', result.errors.map(formatAsmError).join('\n'));
}

/** GUEST is a .s file, an image file or a guest name; returns the image and the path it came from. */
export function loadGuest(guest: string, defines: Readonly<Record<string, number>>): { image: Image; path: string } {
  const build = buildNamed(guest);
  if (build !== undefined && !(existsSync(guest) && statSync(guest).isFile())) {
    const source = guestPath(build.source) as string;
    return { image: assembleFile(source, { ...defines, ...build.defines }), path: source };
  }
  const path = guestPath(guest);
  if (path === undefined) {
    throw new VlabError('E_UNKNOWN_GUEST', `unknown guest '${guest}': not a file, and not one of: ${listGuests().join(', ')}`);
  }
  const bytes = readInput(path, 'guest', INPUT_LIMITS.image);
  if (!isImageFile(bytes)) return { image: assembleFile(path, defines), path };
  try {
    return { image: decodeImage(bytes), path };
  } catch (e) {
    if (e instanceof ImageFormatError) throw new VlabError('E_IMAGE', `${path}: ${e.message}`);
    throw e;
  }
}

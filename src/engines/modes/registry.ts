import { VlabError } from '../../domain/errors.js';
import { binaryTranslation } from './binary-translation/index.js';
import { emulate } from './emulate/index.js';
import { hardwareAssist } from './hardware-assist/index.js';
import { hybrid } from './hybrid/index.js';
import { native } from './native/index.js';
import { paravirt } from './paravirt/index.js';
import type { ModeSpec } from './spec.js';
import { trapEmulate } from './trap-emulate/index.js';

/** Every mode vlab can run, in the order the CLI and reports list them. A mode is one line here. */
export const MODES: readonly ModeSpec[] = [native, emulate, trapEmulate, binaryTranslation, hardwareAssist, paravirt, hybrid];

export const MODE_NAMES: readonly string[] = MODES.map((m) => m.name);

export function modeSpec(name: string): ModeSpec {
  const spec = MODES.find((m) => m.name === name);
  if (spec === undefined) throw new VlabError('E_UNKNOWN_MODE', `unknown mode '${name}' (valid: ${MODE_NAMES.join(', ')})`);
  return spec;
}

import { VlabError } from '../../domain/errors.js';
import { emulate } from './emulate/index.js';
import { native } from './native/index.js';
import { trapEmulate } from './trap-emulate/index.js';
/** Every mode vlab can run, in the order the CLI and reports list them. A mode is one line here. */
export const MODES = [native, emulate, trapEmulate];
export const MODE_NAMES = MODES.map((m) => m.name);
export function modeSpec(name) {
    const spec = MODES.find((m) => m.name === name);
    if (spec === undefined)
        throw new VlabError('E_UNKNOWN_MODE', `unknown mode '${name}' (valid: ${MODE_NAMES.join(', ')})`);
    return spec;
}

export const u32 = { kind: 'u32' };
export const i32 = { kind: 'i32' };
export const u8 = { kind: 'u8' };
export const hash64 = { kind: 'hash64' };
export const oneOf = (values) => ({ kind: 'enum', values });
export function extra() {
    return { kind: 'extra' };
}
export function defineEvent(spec) {
    return spec;
}
export const COLUMNS = ['a', 'b', 'c', 'd', 'e'];
export function placement(fields) {
    const out = {};
    let next = 0;
    let variantFree = true;
    const column = () => {
        const c = COLUMNS[next++];
        if (c === undefined)
            throw new Error('event spec: more fields than columns');
        return c;
    };
    for (const [name, f] of Object.entries(fields)) {
        if ((f.kind === 'enum' || f.kind === 'u8') && variantFree) {
            out[name] = { column: 'variant' };
            variantFree = false;
        }
        else if (f.kind === 'extra')
            out[name] = { column: 'extra' };
        else if (f.kind === 'hash64')
            out[name] = { column: column(), second: column() };
        else
            out[name] = { column: column() };
    }
    return out;
}
/** Reads one field of event i. */
export function readField(batch, i, f, at) {
    if (at.column === 'extra')
        return batch.extras.get(i);
    const raw = at.column === 'variant' ? batch.variant[i] : batch[at.column][i];
    switch (f.kind) {
        case 'u32':
        case 'u8': return raw;
        case 'i32': return raw | 0;
        case 'enum': return f.values[raw] ?? f.values[0];
        case 'hash64': return raw.toString(16).padStart(8, '0') + batch[at.second][i].toString(16).padStart(8, '0');
        case 'extra': return undefined;
        default: {
            const unreachable = f;
            return unreachable;
        }
    }
}
/** Writes one field's value into the open event i. */
export function writeField(batch, i, f, at, value) {
    if (at.column === 'extra') {
        batch.extras.set(i, value);
        return;
    }
    let raw;
    switch (f.kind) {
        case 'enum':
            raw = Math.max(0, f.values.indexOf(value));
            break;
        case 'hash64': {
            const text = value;
            batch[at.second][i] = parseInt(text.slice(8, 16), 16);
            raw = parseInt(text.slice(0, 8), 16);
            break;
        }
        default: raw = value;
    }
    if (at.column === 'variant')
        batch.variant[i] = raw;
    else
        batch[at.column][i] = raw;
}

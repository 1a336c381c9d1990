import { Hasher, hashPages } from './hash.js';
import { LiveMemory, emptyPageMap, readPage32 } from './pages.js';
import { EMPTY_TABLE, LiveTable } from './live-table.js';
import { EMPTY_TEXT, LiveText } from './live-text.js';
const hex = (n) => `0x${(n >>> 0).toString(16)}`;
const bytesOf = (a) => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const wordsOf = (bytes) => new Uint32Array(bytes.slice().buffer);
/** A register file with named registers (CPU, virtual CPU, device registers, VMCS fields). */
export function registers(names, visibility) {
    return {
        visibility,
        initial: () => new Uint32Array(names.length),
        thaw: (f) => new Int32Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength)),
        freeze: (l) => new Uint32Array(l.buffer.slice(0)),
        hash: (h, v) => void h.words(v),
        pack: (v) => bytesOf(v),
        unpack: (p) => wordsOf(p),
        diff: (field, a, b) => names.flatMap((n, i) => (a[i] === b[i] ? [] : [`${field}.${n}: ${hex(a[i] ?? 0)} vs ${hex(b[i] ?? 0)}`])),
        show: (field, v) => {
            const out = [];
            for (let i = 0; i < names.length; i += 6) {
                out.push(`${field.padEnd(6)}${names.slice(i, i + 6).map((n, k) => `${n.padStart(11)} ${hex(v[i + k] ?? 0).padEnd(10)}`).join('')}`);
            }
            return out;
        },
        json: (v) => Object.fromEntries(names.map((n, i) => [n, v[i]])),
        ops: [{ op: 'set', apply: (l, a, b) => void (l[a] = b), text: (field, a, b) => `${field === 'cpu' ? '' : `${field}.`}${names[a] ?? a}=${hex(b)}` }],
    };
}
/** Anonymous words (a device buffer). */
export function words(count, visibility) {
    const named = registers(Array.from({ length: count }, (_, i) => String(i)), visibility);
    return {
        ...named,
        show: (field, v) => [`${field}: ${v.filter((w) => w !== 0).length} of ${count} words non-zero`],
        json: (v) => Array.from(v),
        ops: [{ op: 'set', apply: (l, a, b) => void (l[a] = b), text: (field, a, b) => `${field}[${a}]=${hex(b)}` }],
    };
}
/** Byte-addressed pages: guest-physical memory, a disk. */
export function pages(sizeOf, load, visibility) {
    return {
        visibility,
        initial: (init) => {
            const live = new LiveMemory(emptyPageMap(sizeOf(init)));
            load(init, live);
            return live.seal();
        },
        thaw: (f) => new LiveMemory(f),
        freeze: (l) => l.seal(),
        hash: (h, v) => hashPages(h, v),
        pack: (v, pageId) => ({ size: v.size, pages: v.pages.flatMap((p, i) => (p === undefined ? [] : [[i, pageId(p)]])) }),
        unpack: (p, page) => {
            const packed = p;
            const map = emptyPageMap(packed.size);
            const out = map.pages.slice();
            for (const [i, id] of packed.pages)
                out[i] = page(id);
            return { size: packed.size, pages: out };
        },
        diff: (field, a, b, limit) => {
            const out = [];
            for (let p = 0; p < a.pages.length && out.length < limit; p++) {
                if (a.pages[p] === b.pages[p])
                    continue;
                for (let addr = p << 12; addr < (p + 1) << 12 && out.length < limit; addr += 4) {
                    const [x, y] = [readPage32(a, addr), readPage32(b, addr)];
                    if (x !== y)
                        out.push(`${field} ${hex(addr)}: ${hex(x)} vs ${hex(y)}`);
                }
            }
            return out;
        },
        show: (field, v) => [`${field}: ${v.size} bytes, ${v.pages.filter((p) => p !== undefined).length} pages written`],
        json: (v) => ({ size: v.size, pagesWritten: v.pages.flatMap((p, i) => (p === undefined ? [] : [i])) }),
        release: (l) => l.release(),
        ops: [
            { op: 'write8', apply: (l, a, b) => l.write8(a, b), text: (field, a, b) => `${field}8[${hex(a)}]=${hex(b)}` },
            { op: 'write32', apply: (l, a, b) => l.write32(a, b), text: (field, a, b) => `${field}32[${hex(a)}]=${hex(b)}` },
        ],
    };
}
/** A sparse table of non-zero words by key (a shadow page table, an EPT, traced pages). */
export function table(domain, visibility) {
    return {
        visibility,
        initial: () => EMPTY_TABLE,
        thaw: (f) => new LiveTable(domain, f),
        freeze: (l) => l.freeze(),
        hash: (h, v) => void h.words(v.keys).words(v.values),
        pack: (v) => ({ keys: bytesOf(v.keys), values: bytesOf(v.values) }),
        unpack: (p) => {
            const packed = p;
            return { keys: wordsOf(packed.keys), values: wordsOf(packed.values) };
        },
        diff: (field, a, b, limit) => {
            const [ma, mb] = [new Map(Array.from(a.keys, (k, i) => [k, a.values[i]])), new Map(Array.from(b.keys, (k, i) => [k, b.values[i]]))];
            const keys = [...new Set([...ma.keys(), ...mb.keys()])].sort((x, y) => x - y);
            return keys.filter((k) => ma.get(k) !== mb.get(k)).slice(0, limit).map((k) => `${field}[${hex(k)}]: ${hex(ma.get(k) ?? 0)} vs ${hex(mb.get(k) ?? 0)}`);
        },
        show: (field, v) => [`${field}: ${v.keys.length} entries`],
        json: (v) => Object.fromEntries(Array.from(v.keys, (k, i) => [hex(k), v.values[i]])),
        release: (l) => l.release(),
        ops: [
            { op: 'set', apply: (l, a, b) => l.set(a, b), text: (field, a, b) => `${field}[${hex(a)}]=${hex(b)}` },
            { op: 'clear', apply: (l, a) => l.clear(a), text: (field, a) => `${field}[${hex(a)}]=-` },
            { op: 'flush', apply: (l) => l.flush(), text: (field) => `${field}=flushed` },
        ],
    };
}
/** Text the guest writes, kept as a bounded tail with a hash of all of it (live-text.ts). */
export function text(visibility) {
    return {
        visibility,
        initial: () => EMPTY_TEXT,
        thaw: (f) => new LiveText(f),
        freeze: (l) => l.freeze(),
        hash: (h, v) => void h.number(v.length).word(v.h1).word(v.h2),
        pack: (v) => v,
        unpack: (p) => p,
        diff: (field, a, b) => {
            if (a.length === b.length && a.h1 === b.h1 && a.h2 === b.h2)
                return [];
            let i = 0;
            while (i < a.tail.length && a.tail[i] === b.tail[i])
                i++;
            return [`${field} (${a.length} vs ${b.length} bytes) from tail byte ${i}: ${JSON.stringify(a.tail.slice(i, i + 40))} vs ${JSON.stringify(b.tail.slice(i, i + 40))}`];
        },
        show: (field, v) => [`${field} (${v.length} bytes): ${JSON.stringify(v.tail.slice(-200))}`],
        json: (v) => ({ length: v.length, tail: v.tail }),
        ops: [{ op: 'append', apply: (l, _a, b) => l.append(b), text: (field, _a, b) => `${field}+=${JSON.stringify(String.fromCharCode(b & 0xff))}` }],
    };
}
/** A count kept by event accounting (no effect changes it). */
export function counter(visibility) {
    return {
        visibility,
        initial: () => 0,
        thaw: (f) => f,
        freeze: (l) => l,
        hash: (h, v) => void h.number(v),
        pack: (v) => v,
        unpack: (p) => p,
        diff: (field, a, b) => (a === b ? [] : [`${field}: ${a} vs ${b}`]),
        show: (field, v) => [`${field} ${v}`],
        json: (v) => v,
        ops: [],
    };
}
/** Counts per named slot, as doubles (the cost ledger: events charged per cost key). */
export function counts(names, visibility) {
    return {
        visibility,
        initial: () => new Float64Array(names.length),
        thaw: (f) => f.slice(),
        freeze: (l) => l.slice(),
        hash: (h, v) => v.forEach((n) => h.number(n)),
        pack: (v) => Array.from(v),
        unpack: (p) => Float64Array.from(p),
        diff: (field, a, b) => names.flatMap((n, i) => (a[i] === b[i] ? [] : [`${field}.${n}: ${a[i]} vs ${b[i]}`])),
        show: (field, v) => [`${field} ${names.flatMap((n, i) => ((v[i] ?? 0) > 0 ? [`${n}=${v[i]}`] : [])).join(' ')}`],
        json: (v) => Object.fromEntries(names.flatMap((n, i) => ((v[i] ?? 0) > 0 ? [[n, v[i]]] : []))),
        ops: [],
    };
}
/** A small immutable value set by event accounting (how the run ended). */
export function value(visibility, initialValue, describe) {
    return {
        visibility,
        initial: () => initialValue,
        thaw: (f) => f,
        freeze: (l) => l,
        hash: (h, v) => void h.string(describe(v)),
        pack: (v) => v ?? null,
        unpack: (p) => (p ?? initialValue),
        diff: (field, a, b) => (describe(a) === describe(b) ? [] : [`${field}: ${describe(a)} vs ${describe(b)}`]),
        show: (field, v) => [`${field} ${describe(v)}`],
        json: (v) => v ?? null,
        ops: [],
    };
}
export { Hasher, EMPTY_TEXT, LiveText, LiveTable, LiveMemory };

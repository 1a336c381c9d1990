import { acquireZeroed, releaseZeroed } from './pool.js';
export const EMPTY_TABLE = { keys: new Uint32Array(0), values: new Uint32Array(0) };
export class LiveTable {
    domain;
    map = new Map();
    values;
    constructor(domain, frozen = EMPTY_TABLE) {
        this.domain = domain;
        frozen.keys.forEach((k, i) => this.map.set(k, frozen.values[i]));
    }
    get size() {
        return this.map.size;
    }
    /** The table as an array by key, kept in step with every later change. */
    flat() {
        if (this.values === undefined) {
            this.values = new Int32Array(acquireZeroed(4 * this.domain));
            for (const [k, v] of this.map)
                this.values[k] = v;
        }
        return this.values;
    }
    get(key) {
        return this.map.get(key) ?? 0;
    }
    set(key, value) {
        if (value === 0)
            return this.clear(key);
        this.map.set(key, value | 0);
        if (this.values !== undefined)
            this.values[key] = value;
    }
    clear(key) {
        if (!this.map.delete(key))
            return;
        if (this.values !== undefined)
            this.values[key] = 0;
    }
    flush() {
        if (this.values !== undefined)
            for (const k of this.map.keys())
                this.values[k] = 0;
        this.map.clear();
    }
    /** Keys of the present entries, ascending. */
    keys() {
        return [...this.map.keys()].sort((a, b) => a - b);
    }
    freeze() {
        const keys = this.keys();
        return { keys: Uint32Array.from(keys), values: Uint32Array.from(keys, (k) => this.map.get(k) >>> 0) };
    }
    /** Gives the flat array back to the pool; the table must not be used after. */
    release() {
        if (this.values === undefined)
            return;
        this.flush();
        releaseZeroed(this.values.buffer);
        this.values = undefined;
    }
}

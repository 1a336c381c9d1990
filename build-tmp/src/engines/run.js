import { createRun } from './loop.js';
export function startRun(config, options = {}) {
    return createRun(config, options);
}
/**
 * Runs a guest: a synchronous, deterministic stream of event batches.
 *
 * @example run(config).subscribe((batch) => count += batch.length)
 */
export function run(config) {
    return createRun(config).events$;
}
/** Runs to the end with the bare core (no events kept) and returns the final state: replay, record, bench. */
export function runBare(config, options = {}) {
    const r = createRun(config, { ...options, events: false });
    r.events$.subscribe();
    return r.state();
}

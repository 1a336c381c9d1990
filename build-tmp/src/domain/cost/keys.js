/**
 * The components of the cost model: every CPU profile gives each one a cycle count with
 * a source, and every event is charged as a sum of these (event specs, `charge`). A run's
 * ledger counts them, so its cycles under any profile are one dot product.
 */
export const COST_KEYS = [
    'alu', 'mul', 'div', 'memory', 'branch', 'stack', 'system', 'io',
    'exception', 'interrupt', 'idleStep',
    'interpret', 'trap', 'emulate', 'emulateIo', 'reflect', 'inject',
    'shadowFill', 'shadowSync', 'shadowFlush',
];
export const COST_KEY_INDEX = Object.fromEntries(COST_KEYS.map((k, i) => [k, i]));

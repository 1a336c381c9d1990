import { EVENT_TYPES, specOf } from '../domain/events/registry.js';
import { guestViewHash } from '../domain/guest-view.js';
import { stateHash } from '../domain/state/state-hash.js';
import { modeSpec } from './modes/registry.js';
import { startRun } from './run.js';
/** Counts events and cycles by type, batch by batch, without materializing events. */
export class EventTally {
    counts = new Float64Array(256);
    cycles = new Float64Array(256);
    add(batch) {
        for (let i = 0; i < batch.length; i++) {
            const t = batch.type[i];
            this.counts[t] = this.counts[t] + 1;
            this.cycles[t] = this.cycles[t] + batch.cost[i];
        }
    }
    byType(column) {
        const out = {};
        for (const type of EVENT_TYPES) {
            const code = EVENT_TYPES.indexOf(type);
            const spec = specOf(code);
            if (this.counts[spec.code] > 0)
                out[type] = column[spec.code];
        }
        return out;
    }
}
export function summarize(config, state, tally, console) {
    return {
        guest: config.guest,
        mode: config.mode,
        isa: config.isa,
        cpu: config.cpu,
        endReason: state.outcome?.reason ?? 'error',
        exitCode: state.outcome?.exitCode ?? 0,
        console,
        guestInsns: state.vms[0]?.retired ?? 0,
        events: state.seq,
        countsByType: tally.byType(tally.counts),
        cycles: state.cycles,
        cyclesByType: tally.byType(tally.cycles),
        stateHash: stateHash(state),
        guestViewHash: guestViewHash(state, modeSpec(config.mode).projection),
    };
}
/** Runs to the end and summarizes. */
export function runToSummary(config, onBatch) {
    const run = startRun(config);
    const tally = new EventTally();
    let console = '';
    run.machine.vm(0).console.sink = (byte) => (console += String.fromCharCode(byte));
    run.events$.subscribe((batch) => {
        tally.add(batch);
        onBatch?.(batch);
    });
    return summarize(config, run.state(), tally, console);
}

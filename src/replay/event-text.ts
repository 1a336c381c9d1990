import type { Event } from '../domain/events/event.js';
import { specByTypeStrict } from '../domain/events/registry.js';
import { effectSpec } from '../domain/state/schema.js';

/** One line for an event: `#seq type detail (cost) effects`, each part as its spec and the schema render it. */
export function eventText(e: Event): string {
  const detail = specByTypeStrict(e.type).text(e as never);
  const effects = e.effects.map((f) => {
    const spec = effectSpec(f.code);
    return spec.op.text(spec.field, f.a, f.b);
  });
  return `#${e.seq} ${e.type}${detail === '' ? '' : ` ${detail}`} (${e.cost} cycles)${effects.length === 0 ? '' : `  ${effects.join(' ')}`}`;
}

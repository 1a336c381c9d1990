import { describe, expect, it } from 'vitest';
import { hostPlacement, HYPERVISOR_BYTES } from '../../../../src/engines/hypervisor/placement.js';
import { runStatus } from '../../../../src/engines/hypervisor/status.js';
import { isolationEscape } from '../../../../src/campaign/isolation.js';
import { MODES } from '../../../../src/engines/modes/registry.js';
import type { ModeSpec } from '../../../../src/engines/modes/spec.js';
import { assembleSource, configFor } from '../../../helpers/run.js';

describe('the hypervisor partitions host-physical memory', () => {
  it('places each VM\'s RAM in its own range above the hypervisor\'s, disjoint, on 4 MiB boundaries', () => {
    const one = configFor(assembleSource('hlt'), 'emulate');
    const config = { ...one, memoryBytes: 0x30_0000, extraVms: Array.from({ length: 15 }, () => one) };
    const places = hostPlacement(config);
    expect(places).toHaveLength(16);
    expect(places[0]).toEqual({ vm: 0, base: HYPERVISOR_BYTES, size: 0x30_0000 });
    for (const [i, p] of places.entries()) {
      expect(p.base % 0x40_0000).toBe(0);
      const next = places[i + 1];
      if (next !== undefined) expect(p.base + p.size).toBeLessThanOrEqual(next.base);
    }
  });
});

describe('how a run of several VMs ends', () => {
  it('as the first VM that did not exit 0 or halt, else as VM 0', () => {
    expect(runStatus([{ reason: 'halt', exitCode: 0 }, { reason: 'exit', exitCode: 0 }])).toEqual({ reason: 'halt', exitCode: 0 });
    expect(runStatus([{ reason: 'exit', exitCode: 0 }, { reason: 'budget', exitCode: 0 }, { reason: 'exit', exitCode: 9 }])).toEqual({ reason: 'budget', exitCode: 0 });
    expect(runStatus([{ reason: 'exit', exitCode: 0 }, { reason: 'triple-fault', exitCode: 0 }])).toEqual({ reason: 'triple-fault', exitCode: 0 });
  });
});

describe('the isolation check is not vacuous', () => {
  it('reports the one channel outside the property: rdtsc counts the cycles of every VM (timing, a red pill)', () => {
    const timer = { name: 'rdtsc.s', source: '.entry s\ns: mov r1, 0\nl: add r1, 1\ncmp r1, 300\njnz l\nrdtsc r2\nmov r0, 0\nout 0xf4, r0\n' };
    const busy = { name: 'busy.s', source: '.entry s\ns: mov r1, 0\nl: add r1, 1\ncmp r1, 300\njnz l\nmov r0, 0\nout 0xf4, r0\n' };
    const mode = MODES.find((m) => m.name === 'hardware-assist') as ModeSpec;
    expect(isolationEscape([timer, busy], mode, 'classic', 100)).toMatch(/^hardware-assist × classic, quantum 100: VM 0 \(rdtsc\.s\) alone exit 0 insns 904 view \w+ console "", beside its neighbour exit 0 insns 904 view \w+ console ""$/);
    expect(isolationEscape([busy, busy], mode, 'classic', 100)).toBeUndefined();
  });
});

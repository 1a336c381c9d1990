import { MODES } from '../engines/modes/registry.js';
import { HANDLINGS, INTERCEPT_CLASSES, type Policy } from '../engines/modes/spec.js';

const cell = (policy: Policy): string => (typeof policy === 'string' ? policy : Object.entries(policy).map(([isa, h]) => `${h} (${isa})`).join(', '));

/** The table of modes, from the registry: what docs/modes.md and the README show. */
export function modesTable(): string {
  const head = ['mode', 'story', 'equivalent to native on', 'guest modified', 'several VMs (switch by)'];
  const rows = MODES.map((m) => [`\`${m.name}\``, m.story, m.correctOn.map((p) => `\`${p}\``).join(', '), m.modifiedGuest ? 'yes' : 'no', m.hypervisor ?? 'no']);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Each mode's intercept policy, class by class. */
export function policyTable(): string {
  const head = ['operation', ...MODES.map((m) => `\`${m.name}\``)];
  const rows = INTERCEPT_CLASSES.map((c) => [c, ...MODES.map((m) => cell(m.policy[c]))]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function modesDoc(): string {
  return `# The modes

Generated from the mode registry (src/engines/modes/registry.ts) by \`npm run docs\`; a
test fails when it is out of date. \`vlab list modes --json\` prints the same data.

${modesTable()}

## Intercept policies

What each mode does with each class of sensitive or privileged operation. A test
(test/conformance/policy.test.ts) runs one small kernel per class in every mode and reads
the handling back from the events, so this table is what the engines do.

${policyTable()}

${Object.entries(HANDLINGS).map(([h, what]) => `- **${h}**: ${what}`).join('\n')}
`;
}

const START = '<!-- modes:start (npm run docs) -->';
const END = '<!-- modes:end -->';

/** The README with its modes section regenerated. */
export function readmeWithModes(readme: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md: no ${START} … ${END} section`);
  return `${readme.slice(0, from + START.length)}\n${modesTable()}\n${readme.slice(to)}`;
}

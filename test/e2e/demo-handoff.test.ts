import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableHandOff, playHandOff } from '../../src/demo/handoff';
import { playScenario } from '../../src/demo/scenario';
import type { Stack } from '../../src/demo/stack';
import { backfillDone, testStack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await testStack('demo-handoff', { contacts: 150 });
  await stack.install();
  await backfillDone(stack);
}, 90_000);
afterAll(() => stack?.close());

describe('the demo’s hand-off to sales', () => {
  it('a contact that becomes ready gets a lead for its routed rep in seconds; Disqualified and Qualified come back', async () => {
    const lines: string[] = [];
    await enableHandOff(stack, (l) => lines.push(l));
    await playScenario(stack, () => undefined);
    await playHandOff(stack, (l) => lines.push(l));
    const text = lines.join('\n');
    // The VP who filled in the demo request form became ready: a lead, routed (the delay is printed).
    const made = [
      ...text.matchAll(
        /Lead "[^"]+" \((hot|warm|cold)\) in HubSpot( ([\d.]+) s after it became ready)?: Routed to ([^:]+): /g,
      ),
    ];
    expect(made.length).toBeGreaterThanOrEqual(2);
    const delays = made.flatMap((m) => (m[3] ? [Number(m[3])] : []));
    expect(delays.length).toBeGreaterThanOrEqual(1);
    // (How many seconds it took is the demo's figure to read, not a test's to assert.)
    expect(text).toMatch(
      /SQL rejected \(No budget\): “Budget frozen until Q3”; HubSpot: lq_sql_feedback=rejected, lq_rejection_reason=no_budget/,
    );
    expect(text).toMatch(/feedback report: \d+ rejected \(No budget 1/);
    expect(text).toMatch(
      /HubSpot: lq_status=sql, lq_sql_feedback=accepted, lifecyclestage=(salesqualifiedlead|opportunity|customer|evangelist)/,
    );
  }, 120_000);
});

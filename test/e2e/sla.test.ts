import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, contactsByStatus, uiFetchFor } from '../support/ui';

let stack: Stack;
const SLA_HOURS = 0.0025; // 9 s: the test waits for real BullMQ delays

const props = (id: string) =>
  stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties;

beforeAll(async () => {
  stack = await testStack('sla', { contacts: 80 });
  // The portal's model before the install: its SLA is seconds long.
  await stack.runtime.models.ensureInitial(stack.portalId, {
    ...DEFAULT_MODEL,
    slaHours: SLA_HOURS,
  });
  await stack.install();
  await backfillDone(stack);
}, 90_000);
afterAll(() => stack?.close());

describe('the SQL follow-up SLA', () => {
  it('a lead handed to sales gets its due time; untouched past it, it is flagged breached; accepted in time, it is not', async () => {
    const ready = (await contactsByStatus(stack)).get('ready')!;
    expect(ready.length).toBeGreaterThanOrEqual(2);
    const [ignored, accepted] = ready as [string, string];
    for (const id of [ignored, accepted]) {
      const due = Date.parse(props(id)['lq_sla_due_at']!);
      const handedOff = Date.parse(props(id)['lq_ready_date']!);
      expect(due - handedOff).toBe(SLA_HOURS * 3_600_000);
      expect(props(id)['lq_sla_breached']).toBe('false');
    }
    // A rep accepts one from the card before its due time.
    const ui = uiFetchFor(stack);
    try {
      const res = await ui.fetch(`${BACKEND_URL}/api/card/contacts/${accepted}/feedback`, {
        method: 'POST',
        body: { decision: 'accepted', note: 'calling tomorrow' },
      });
      expect(res.status).toBe(202);
    } finally {
      ui.uninstall();
    }
    await until(
      'the SLA of the ignored SQL to be flagged',
      async () => props(ignored)['lq_sla_breached'] === 'true',
      30_000,
      200,
    );
    expect(Date.parse(props(ignored)['lq_sla_breached_at']!)).toBeGreaterThanOrEqual(
      Date.parse(props(ignored)['lq_sla_due_at']!),
    );
    // Give the accepted one's check time to run too: it stays unbreached.
    await until(
      'the accepted SQL to be past its due time',
      async () => Date.now() > Date.parse(props(accepted)['lq_sla_due_at']!) + 2_000,
      30_000,
      200,
    );
    await until(
      "the accepted SQL's check to have run",
      async () => {
        const [delayed, active] = await Promise.all([
          stack.runtime.producer.queue.getDelayed(),
          stack.runtime.producer.queue.getActive(),
        ]);
        return ![...delayed, ...active].some(
          (j) => j.name === 'sla-check' && j.data.contactId === accepted,
        );
      },
      30_000,
      200,
    );
    expect(props(accepted)['lq_sla_breached']).toBe('false');
    expect(props(accepted)['lq_sql_feedback']).toBe('accepted');
    // The rep's acceptance made it an SQL, in HubSpot's stage too.
    await until(
      'the accepted lead to be an SQL',
      async () => props(accepted)['lq_status'] === 'sql',
    );
    expect(props(accepted)['lifecyclestage']).toBe('salesqualifiedlead');
  }, 90_000);

  it('scheduling a check twice keeps one job (the SQL episode is its id)', async () => {
    const id = (await contactsByStatus(stack)).get('ready')![0]!;
    const due = Date.now() + 3_600_000;
    await stack.runtime.producer.slaCheck(stack.portalId, id, due, Date.now());
    await stack.runtime.producer.slaCheck(stack.portalId, id, due, Date.now());
    const delayed = await stack.runtime.producer.queue.getDelayed();
    expect(delayed.filter((j) => j.name === 'sla-check' && j.data.contactId === id)).toHaveLength(
      1,
    );
  });
});

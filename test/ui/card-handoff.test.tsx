import { Alert, Link, LoadingButton, StatusTag, Text } from '@hubspot/ui-extensions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { renderCard as renderCardIn } from '../../src/sandbox/ui-render';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, contactsByStatus, uiFetchFor } from '../support/ui';

let stack: Stack;
let ui: ReturnType<typeof uiFetchFor>;
const WAIT = { timeoutInMs: 15_000 };
const portal = () => stack.sandbox.state.portal(stack.portalId);

beforeAll(async () => {
  stack = await testStack('card-handoff', { contacts: 120 });
  await stack.install();
  await backfillDone(stack);
  ui = uiFetchFor(stack);
  // The admin turns the hand-off on: round-robin over the seated reps, by hand from the card.
  const res = await ui.fetch(`${BACKEND_URL}/api/settings/handoff`, {
    method: 'PUT',
    body: { enabled: true, trigger: 'manual', rules: [], firstTouchHours: 4 },
  });
  expect(res.status).toBe(200);
}, 90_000);
afterAll(async () => {
  ui?.uninstall();
  await stack?.close();
});

const renderCard = (contactId: string) =>
  renderCardIn(BACKEND_URL, contactId, { pollEveryMs: 100 });
const text = (r: ReturnType<typeof renderCard>, testId: string) =>
  r.findByTestId(Text, testId).text;

describe('the card’s hand-off to sales', () => {
  it('Hand to sales makes a lead for a routed rep, and the card says who, why, its stage and its first touch', async () => {
    const id = (await contactsByStatus(stack)).get('mql')![0]!;
    const r = renderCard(id);
    await r.waitFor(
      () => expect(r.maybeFindByTestId(LoadingButton, 'hand-off')).not.toBeNull(),
      WAIT,
    );
    expect(r.maybeFindByTestId(StatusTag, 'lead-outcome')).toBeNull();
    r.findByTestId(LoadingButton, 'hand-off').trigger('onClick');
    await r.waitFor(
      () => expect(r.maybeFindByTestId(StatusTag, 'lead-outcome')).not.toBeNull(),
      WAIT,
    );
    const [lead] = [...portal().all('leads')];
    const owner = portal().staff.get(lead!.properties['hubspot_owner_id']!)!;
    expect(r.findByTestId(StatusTag, 'lead-outcome').text).toBe('With sales');
    expect(text(r, 'lead-routed')).toBe(
      `Routed to ${owner.firstName} ${owner.lastName}: round-robin`,
    );
    expect(text(r, 'lead-stage')).toMatch(/^Lead stage: New · handed off \d+ minutes? ago$/);
    expect(text(r, 'lead-first-touch')).toMatch(/^First touch due in (4 hours|2\d\d minutes)\.$/);
    // The rendering's account (the card's context) and the lead's record page in it.
    expect(r.findAll(Link).map((l) => l.props.href)).toContainEqual({
      url: expect.stringMatching(new RegExp(`/record/0-136/${lead!.id}$`)),
      external: true,
    });
    // Handed off: no second button.
    expect(r.maybeFindByTestId(LoadingButton, 'hand-off')).toBeNull();

    // The rep disqualifies it in HubSpot: the card says so, and the rejection with its reason.
    const res = await globalThis.fetch(`${stack.sandbox.url}/crm/v3/objects/leads/${lead!.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${stack.personToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        properties: {
          hs_pipeline_stage: 'unqualified-stage-id',
          hs_lead_disqualification_reason: 'NOT_A_GOOD_FIT',
        },
      }),
    });
    expect(res.status).toBe(200);
    await until(
      'the verdict',
      async () => (await stack.runtime.feedback.latest(stack.portalId, id)) !== null,
    );
    const again = renderCard(id);
    await again.waitFor(
      () =>
        expect(again.maybeFindByTestId(StatusTag, 'lead-outcome')?.text).toBe(
          'Disqualified by sales',
        ),
      WAIT,
    );
    expect(text(again, 'lead-stage')).toMatch(/^Lead stage: Disqualified/);
    expect(again.findAll(Alert)).toHaveLength(0);
  });
});

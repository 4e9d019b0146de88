import { Client } from '@hubspot/api-client';
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  List,
  LoadingButton,
  LoadingSpinner,
  Select,
  StatusTag,
  Tag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { LeadScoreCard } from '../../src/app/cards/components/LeadScoreCard';
import { relativeDay } from '@lead-qualifier/shared';
import { createUiFetch, installUiFetch } from '../../src/sandbox/ui-fetch';
import { renderCard as renderCardIn } from '../../src/sandbox/ui-render';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, contactsByStatus, uiFetchFor } from '../support/ui';

let stack: Stack;
let ui: ReturnType<typeof uiFetchFor>;
let byStatus: Map<string, string[]>;
const WAIT = { timeoutInMs: 15_000 };

beforeAll(async () => {
  stack = await testStack('card-ui', { contacts: 150 });
  await stack.install();
  await backfillDone(stack);
  ui = uiFetchFor(stack);
  byStatus = await contactsByStatus(stack);
}, 90_000);

afterAll(async () => {
  ui?.uninstall();
  await stack?.close();
});

const take = (status: string) => {
  const ids = byStatus.get(status) ?? [];
  expect(ids.length, `a seeded contact with status ${status}`).toBeGreaterThan(0);
  return ids.shift()!;
};
const inHubSpot = (id: string) =>
  stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties;

const renderCard = (contactId: string | number) =>
  renderCardIn(BACKEND_URL, contactId, { pollEveryMs: 100 });
type Card = ReturnType<typeof renderCard>;

const tags = (r: Card) => {
  const row = r.findByTestId(Flex, 'tags');
  return [...row.findAll(Tag), ...row.findAll(StatusTag)].map((t) => t.text);
};
/** Every text under a node, in order. */
const textOf = (node: { findAll: Card['findAll'] }) =>
  node
    .findAll(Text)
    .map((t) => t.text)
    .join(' ');
async function scored(r: Card) {
  await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'scored')).not.toBeNull(), WAIT);
}

describe('the contact card', () => {
  it('shows a spinner while it loads, then an SQL: tags, model version, ledger, criteria and next steps', async () => {
    const id = take('sql');
    const r = renderCard(id);
    expect(r.find(LoadingSpinner).props.label).toMatch(/loading/i);
    await scored(r);
    const q = (await stack.runtime.scores.get(stack.portalId, id))!;
    expect(tags(r)).toEqual(
      expect.arrayContaining([`Score ${q.score}`, `Grade ${q.grade}`, 'SQL']),
    );
    expect(r.findByTestId(Text, 'scored').text).toMatch(
      /Scored (just now|\d+ seconds? ago) by model v1/,
    );
    const ledger = r
      .findByTestId(List, 'ledger')
      .findAll(Text)
      .map((t) => t.text);
    expect(ledger.length).toBe(q.ledger.filter((e) => e.points !== 0).length);
    expect(ledger.join('\n')).toMatch(/ · \+\d/);
    // Decay is shown where it took points.
    if (q.ledger.some((e) => Math.abs(e.rawPoints - e.points) >= 0.1))
      expect(ledger.join('\n')).toMatch(/before decay/);
    // The lifecycle stage is shown as it is (an SQL who is already a customer stays one).
    expect(tags(r).length).toBe(4);
    const criteria = textOf(r.findByTestId(Flex, 'criteria'));
    expect(criteria).toMatch(/Buying signal/);
    for (const c of q.criteria.met) expect(criteria).toContain(c.label);
    expect(r.findByTestId(Button, 'accept').props.disabled).toBe(false);
    expect(r.findByTestId(Button, 'reject').props.disabled).toBe(false);
  });

  it('restates evidence dates as of now for a contact scored days ago', async () => {
    const id = take('sql');
    const key = stack.runtime.keys.score(stack.portalId, id);
    const stored = JSON.parse((await stack.runtime.redis.get(key))!) as {
      scoredAt: number;
      ledger: Array<{ label: string; at: number | null; evidence: string }>;
    };
    const dated = stored.ledger.find(
      (e) => e.at !== null && e.evidence.endsWith(`, ${relativeDay(e.at, stored.scoredAt)}`),
    );
    expect(dated, 'a dated ledger entry').toBeDefined();
    // As if it had been scored three days ago and nothing had changed since.
    const shift = 3 * 86_400_000;
    const old = {
      ...stored,
      scoredAt: stored.scoredAt - shift,
      ledger: stored.ledger.map((e) => (e.at === null ? e : { ...e, at: e.at - shift })),
    };
    await stack.runtime.redis.set(key, JSON.stringify(old));
    const r = renderCard(id);
    await scored(r);
    const ledger = r
      .findByTestId(List, 'ledger')
      .findAll(Text)
      .map((t) => t.text);
    const expected = relativeDay(dated!.at! - shift, Date.now());
    expect(expected).not.toBe(relativeDay(dated!.at!, stored.scoredAt));
    expect(ledger.find((l) => l!.startsWith(dated!.label))).toContain(`, ${expected} · `);
    expect(r.findByTestId(Text, 'scored').text).toMatch(/Scored 3 days ago/);
  });

  it('Accept SQL records the decision, writes it to HubSpot and says so', async () => {
    const id = take('sql');
    const r = renderCard(id);
    await scored(r);
    r.findByTestId(Button, 'accept').trigger('onClick');
    r.findByTestId(TextArea, 'note').trigger('onChange', 'Spoke to them, real project' as never);
    r.findByTestId(LoadingButton, 'submit-feedback').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('SQL accepted'),
      WAIT,
    );
    await r.waitFor(
      () =>
        expect(r.findByTestId(Text, 'feedback').text).toMatch(/SQL accepted by rep@example.com/),
      WAIT,
    );
    await until(
      'the feedback in HubSpot',
      async () => inHubSpot(id)['lq_sql_feedback'] === 'accepted',
    );
    expect(inHubSpot(id)['lq_rejection_reason']).toBe('none');
    const record = (await stack.runtime.feedback.latest(stack.portalId, id))!;
    expect(record).toMatchObject({
      decision: 'accepted',
      note: 'Spoke to them, real project',
      by: { userId: 4242 },
    });
    // Still an SQL; it can be reconsidered (rejected) later.
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull(), WAIT);
    expect(tags(r)).toContain('SQL');
  });

  it('Reject SQL needs a reason, then recycles the lead and writes the reason to HubSpot', async () => {
    const id = take('sql');
    const r = renderCard(id);
    await scored(r);
    r.findByTestId(Button, 'reject').trigger('onClick');
    r.findByTestId(LoadingButton, 'submit-feedback').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Select, 'reason').props.validationMessage).toMatch(/choose why/i),
    );
    r.findByTestId(Select, 'reason').trigger('onChange', 'other' as never);
    r.findByTestId(LoadingButton, 'submit-feedback').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(TextArea, 'note').props.validationMessage).toMatch(/note/i),
    );
    r.findByTestId(Select, 'reason').trigger('onChange', 'no_budget' as never);
    r.findByTestId(LoadingButton, 'submit-feedback').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('SQL rejected'),
      WAIT,
    );
    await r.waitFor(() => expect(tags(r)).toContain('Recycled'), WAIT);
    expect(r.findByTestId(Text, 'feedback').text).toMatch(/SQL rejected \(No budget\)/);
    expect(inHubSpot(id)).toMatchObject({
      lq_sql_feedback: 'rejected',
      lq_rejection_reason: 'no_budget',
      lq_status: 'recycled',
    });
    // A rep may change their mind: the rejected lead can still be accepted.
    expect(r.findByTestId(Button, 'accept').props.disabled).toBe(false);
  });

  it('shows a disqualified contact with its disqualifier first and no SQL actions', async () => {
    // A rep marks the lead unqualified in HubSpot; the webhook rescores it.
    const id = take('mql');
    const person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
    await person.crm.contacts.basicApi.update(id, {
      properties: { hs_lead_status: 'UNQUALIFIED' },
    });
    await until(
      'the contact to be disqualified',
      async () => (await stack.runtime.scores.get(stack.portalId, id))?.status === 'disqualified',
    );
    const r = renderCard(id);
    await scored(r);
    const first = r.find(Alert);
    expect(first.props.testId).toBe('disqualified');
    expect(first.text).toMatch(/Marked unqualified by sales.*Points do not count/);
    expect(tags(r)).toContain('Disqualified');
    expect(r.maybeFindByTestId(Button, 'accept')).toBeNull();
    expect(r.maybeFindByTestId(LoadingButton, 'rescore')).not.toBeNull();
  });

  it('an MQL has no Accept / Reject: only an SQL can be judged', async () => {
    const r = renderCard(take('mql'));
    await scored(r);
    expect(tags(r)).toContain('MQL');
    expect(r.maybeFindByTestId(Button, 'accept')).toBeNull();
    expect(r.maybeFindByTestId(Button, 'reject')).toBeNull();
  });

  it('a contact not synced yet says so, and Rescore now scores it', async () => {
    const id = take('lead');
    await stack.runtime.scores.remove(stack.portalId, id);
    const r = renderCard(id);
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('Not scored yet'), WAIT);
    r.findByTestId(LoadingButton, 'rescore').trigger('onClick');
    await r.waitFor(
      () => expect(r.findByTestId(Alert, 'outcome').props.title).toBe('Rescoring'),
      WAIT,
    );
    await scored(r);
    expect(tags(r)).toContain('Lead');
  });

  it('while the change is on its way it says so, and says "still working" if it takes long', async () => {
    const id = take('mql');
    // No worker takes the job for now: the rescore stays queued.
    await Promise.all(stack.workers.map((w) => w.pause()));
    try {
      const renderer = renderCardIn(BACKEND_URL, id, { pollEveryMs: 50, pollForMs: 600 });
      await scored(renderer);
      renderer.findByTestId(LoadingButton, 'rescore').trigger('onClick');
      await renderer.waitFor(
        () => expect(renderer.find(LoadingSpinner).props.label).toBe('Rescoring…'),
        WAIT,
      );
      expect(renderer.findByTestId(LoadingButton, 'rescore').props.loading).toBe(true);
      await renderer.waitFor(
        () => expect(renderer.maybeFindByTestId(Alert, 'still-working')).not.toBeNull(),
        WAIT,
      );
    } finally {
      stack.workers.forEach((w) => w.resume());
    }
    await until('the queued rescore to run', async () => {
      const view = await (await ui.fetch(`${BACKEND_URL}/api/card/contacts/${id}`)).json();
      return (view as { pending: unknown }).pending === null;
    });
  });

  it('a contact with nothing to score says what is missing', async () => {
    const person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
    const created = await person.crm.contacts.basicApi.create({ properties: {}, associations: [] });
    await until('the new contact to be scored', () =>
      stack.runtime.scores.get(stack.portalId, created.id),
    );
    const r = renderCard(created.id);
    await r.waitFor(
      () => expect(r.find(EmptyState).props.title).toBe('Nothing to score yet'),
      WAIT,
    );
    expect(textOf(r.find(EmptyState))).toMatch(/no properties the model reads/);
  });

  it('an error says what went wrong, and Try again recovers', async () => {
    const wrong = createUiFetch({
      appId: stack.app.appId,
      clientSecret: 'not-the-secret',
      portalId: stack.portalId,
      userId: 4242,
      userEmail: 'rep@example.com',
      permittedUrls: [BACKEND_URL],
      proxy: { [BACKEND_URL]: stack.appUrl },
    });
    const restore = installUiFetch(wrong.fetch);
    const r = renderCard(take('mql'));
    await r.waitFor(
      () => expect(textOf(r.find(ErrorState))).toMatch(/Signature-v3 does not match/),
      WAIT,
    );
    restore();
    installUiFetch(ui.fetch);
    r.findByTestId(Button, 'retry').trigger('onClick');
    await scored(r);
  });

  it('without BACKEND_URL the card explains what is missing instead of failing', () => {
    const renderer = createRenderer('crm.record.sidebar');
    renderer.render(<LeadScoreCard context={{ ...renderer.mocks.context, variables: {} }} />);
    expect(textOf(renderer.find(ErrorState))).toMatch(/BACKEND_URL/);
  });
});

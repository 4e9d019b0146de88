import { Client } from '@hubspot/api-client';
import {
  Accordion,
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Link,
  LoadingButton,
  LoadingSpinner,
  Modal,
  ScoreCircle,
  Select,
  StatisticsItem,
  StatusTag,
  Tag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { LeadScoreCard, type CardActions } from '../../src/app/cards/components/LeadScoreCard';
import { nextStepLine, relativeDay } from '@lead-qualifier/shared';
import { createUiFetch, installUiFetch } from '../../src/sandbox/ui-fetch';
import { renderCard as renderCardIn } from '../../src/sandbox/ui-render';
import { unpack } from '../../src/server/storage/packed';
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

const inHubSpot = (id: string) =>
  stack.sandbox.state.portal(stack.portalId).get('contacts', id)!.properties;
const PAST_SQL = new Set(['opportunity', 'customer', 'evangelist']);
/** A seeded contact with `status`; for 'ready', one sales has not taken on (no deal, no customer). */
const take = (status: string) => {
  const ids = byStatus.get(status) ?? [];
  const at = ids.findIndex(
    (id) => status !== 'ready' || !PAST_SQL.has(inHubSpot(id)['lifecyclestage'] ?? ''),
  );
  expect(at, `a seeded contact with status ${status}`).toBeGreaterThanOrEqual(0);
  return ids.splice(at, 1)[0]!;
};

const renderCard = (contactId: string | number, actions?: Partial<CardActions>) =>
  renderCardIn(BACKEND_URL, contactId, { pollEveryMs: 100, ...(actions ? { actions } : {}) });
type Card = ReturnType<typeof renderCard>;

/** The status the card shows (its one status tag). */
const status = (r: Card) => r.findByTestId(StatusTag, 'status').text;
/** Every text under a node, in order. */
const textOf = (node: { findAll: Card['findAll'] }) =>
  node
    .findAll(Text)
    .map((t) => t.text)
    .join(' ');
/** Every word the card shows, folded sections and modals included. */
const everything = (r: Card) =>
  [
    ...r.findAll(Text).map((t) => t.text),
    ...r.findAll(Alert).map((a) => `${a.props.title} ${a.text}`),
    ...r.findAll(StatusTag).map((t) => t.text),
    ...r.findAll(Accordion).map((a) => a.props.title),
    ...r.findAll(StatisticsItem).map((i) => `${i.props.label} ${i.props.number}`),
  ].join('\n');
const lines = (r: Card, testId: string) =>
  r
    .findByTestId(Flex, testId)
    .findAll(Text)
    .map((t) => t.text ?? '');
async function scored(r: Card) {
  await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'scored')).not.toBeNull(), WAIT);
}
/** The top-level testIds in the order the card shows them. */
const order = (r: Card, ids: string[]) => {
  const tree = r.getRootNode().toString();
  return ids
    .filter((id) => tree.includes(`testId="${id}"`))
    .sort((a, b) => tree.indexOf(`testId="${a}"`) - tree.indexOf(`testId="${b}"`));
};

/**
 * Words a rep must never read: the portal's internal property names (those that are not words:
 * "numberofemployees", "hs_buying_role"), an option's internal value ("FINANCIAL_SERVICES") or a
 * bare object id.
 */
function internals(text: string): string[] {
  const found: string[] = [];
  const catalog = stack.sandbox.state.portal(stack.portalId);
  for (const type of ['contacts', 'companies'] as const)
    for (const def of catalog.propertyDefs(type)) {
      const internalName =
        def.name.includes('_') ||
        (def.name.length >= 10 && !def.label.toLowerCase().includes(def.name));
      if (internalName && new RegExp(`\\b${def.name}\\b`).test(text)) found.push(def.name);
      for (const o of def.options)
        if (
          o.value !== o.label &&
          /^[A-Z0-9_]{3,}$/.test(o.value) &&
          new RegExp(`\\b${o.value}\\b`).test(text)
        )
          found.push(o.value);
    }
  for (const id of text.match(/\b\d{7,}\b/g) ?? []) found.push(id);
  return found;
}

/** The host's actions, recorded: what the card asked HubSpot to do. */
function spyActions() {
  const calls = {
    refreshed: 0,
    closed: [] as string[],
    onUpdate: [] as Array<(properties: Record<string, string>) => void>,
  };
  return {
    calls,
    actions: {
      refreshObjectProperties: () => void calls.refreshed++,
      closeOverlay: (id: string) => void calls.closed.push(id),
      onCrmPropertiesUpdate: (
        _p: string[] | '*',
        callback: (properties: Record<string, string>) => void,
      ) => void calls.onUpdate.push(callback),
    },
  };
}

describe('the contact card', () => {
  it('a lead ready for sales: status and score, why, the deadline and the action on top; the top factors; the rest folded', async () => {
    const id = take('ready');
    const r = renderCard(id);
    expect(r.find(LoadingSpinner).props.label).toMatch(/loading/i);
    await scored(r);
    const q = (await stack.runtime.scores.get(stack.portalId, id))!;
    expect(r.find(ScoreCircle).props.score).toBe(q.score);
    expect(status(r)).toBe('Ready for sales');
    // One status tag: no second tag repeating it as a lifecycle stage.
    expect(r.findAll(StatusTag)).toHaveLength(1);
    expect(r.findAll(Tag)).toHaveLength(0);
    const stats = r.findAll(StatisticsItem).map((i) => `${i.props.label}: ${i.props.number}`);
    expect(stats).toEqual([`Fit: ${q.fitScore} · ${q.grade}`, `Engagement: ${q.engagementScore}`]);
    expect(r.findByTestId(Text, 'status-reason').text).toBe(q.reason);
    expect(r.findByTestId(Text, 'milestones').text).toMatch(
      /^Ready for sales since \w{3} \d{1,2} · follow up by \w{3} \d{1,2}, \d{1,2}:\d{2} [AP]M \(in \d+ (hours?|day)\)$/,
    );
    const topToBottom = [
      'summary',
      'status-reason',
      'milestones',
      'sql-actions',
      'top-factors',
      'ledger',
      'criteria',
    ];
    expect(order(r, topToBottom)).toEqual(topToBottom);
    // The three factors that added most, then the two that cost most, by points.
    const up = q.ledger
      .filter((e) => e.kind !== 'disqualifier' && e.points > 0)
      .sort((a, b) => b.points - a.points)
      .slice(0, 3);
    const down = q.ledger
      .filter((e) => e.points < 0)
      .sort((a, b) => a.points - b.points)
      .slice(0, 2);
    const top = lines(r, 'top-factors').slice(1);
    expect(top.map((l) => l.replace(/ — .*/, ''))).toEqual(
      [...up, ...down].map(
        (e) => `${e.points > 0 ? '+' : '−'}${Math.round(Math.abs(e.points) * 10) / 10} ${e.label}`,
      ),
    );
    // Everything else is one click away, grouped, and folded.
    expect(r.findByTestId(Accordion, 'ledger').props.title).toBe(
      `All ${q.ledger.filter((e) => e.kind !== 'disqualifier').length} scoring factors`,
    );
    expect(r.findByTestId(Accordion, 'ledger').props.defaultOpen).toBeFalsy();
    expect(r.findByTestId(Accordion, 'criteria').props.title).toBe(
      `SQL criteria: ${q.criteria.met.length} of ${q.criteria.met.length + q.criteria.missing.length} met`,
    );
    expect(r.findByTestId(Text, 'buying-signal').text).toBe(
      `Buying signal: ${q.buyingSignal.evidence}`,
    );
    // Decay in words.
    if (q.ledger.some((e) => Math.abs(e.rawPoints - e.points) >= 0.1))
      expect(everything(r)).toMatch(/worth less as it ages/);
    expect(everything(r)).not.toMatch(/before decay|gates the score/);
    expect(r.findByTestId(Button, 'accept').props.variant).toBe('primary');
    expect(r.findByTestId(Button, 'reject').props.variant).toBe('secondary');
    expect(r.findByTestId(Button, 'accept').props.disabled).toBe(false);
    expect(r.findByTestId(Text, 'scored').text).toMatch(
      /Scored (just now|\d+ seconds? ago) by model v1/,
    );
    // The company the score used is named, and one click away.
    if (q.company) {
      expect(r.findByTestId(Text, 'scored').text).toContain(`Company scored: ${q.company.name}`);
      const link = r.findByTestId(Link, 'company-link');
      expect(link.text).toBe(`Open ${q.company.name}`);
      expect((link.props.href as { url: string }).url).toMatch(
        new RegExp(`/record/0-2/${q.company.id}$`),
      );
    } else expect(r.maybeFindByTestId(Link, 'company-link')).toBeNull();
  });

  it.each(['ready', 'mql', 'lead'])(
    'a %s card reads in words: no internal property name, option value or object id, folded parts included',
    async (which) => {
      const r = renderCard(take(which));
      await scored(r);
      const text = everything(r);
      expect(internals(text), text).toEqual([]);
    },
  );

  it('evidence names the portal\u2019s labels and formats numbers: "Annual Revenue: $…", "… employees"', async () => {
    const texts: string[] = [];
    for (const id of (byStatus.get('ready') ?? []).slice(0, 10)) {
      const q = (await stack.runtime.scores.get(stack.portalId, id))!;
      texts.push(...q.ledger.map((e) => e.evidence), ...q.criteria.met.map((c) => c.evidence));
    }
    const all = texts.join('\n');
    expect(all).toMatch(/\d[\d,]* employees/);
    expect(all).toMatch(/Company's Annual Revenue: \$\d+(\.\d)?[KMB]/);
    expect(all).not.toMatch(/numberofemployees|annualrevenue|hs_buying_role/);
  });

  it('restates evidence dates as of now for a contact scored days ago', async () => {
    const id = take('ready');
    const key = stack.runtime.keys.score(stack.portalId, id);
    const stored = JSON.parse(unpack('score', (await stack.runtime.redis.getBuffer(key))!)) as {
      scoredAt: number;
      ledger: Array<{ label: string; at: number | null; evidence: string; kind: string }>;
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
      .findByTestId(Accordion, 'ledger')
      .findAll(Text)
      .map((t) => t.text ?? '');
    const expected = relativeDay(dated!.at! - shift, Date.now());
    expect(expected).not.toBe(relativeDay(dated!.at!, stored.scoredAt));
    expect(ledger.find((l) => l.includes(` ${dated!.label} — `))).toContain(`, ${expected}`);
    expect(r.findByTestId(Text, 'scored').text).toMatch(/Scored 3 days ago/);
  });

  it('Accept SQL: a modal, then "accepted by … · date · Change" in place of the buttons, and HubSpot is told to reload the record', async () => {
    const id = take('ready');
    const { calls, actions } = spyActions();
    const r = renderCard(id, actions);
    await scored(r);
    // The modal is the button's overlay.
    expect(r.findByTestId(Button, 'accept').props.overlay?.find(Modal).props.title).toBe(
      'Accept this SQL',
    );
    r.findByTestId(TextArea, 'accept-note').trigger(
      'onChange',
      'Spoke to them, real project' as never,
    );
    r.findByTestId(LoadingButton, 'accept-submit').trigger('onClick');
    await until('the modal to be closed', async () => calls.closed.includes('lq-accept-sql'));
    await r.waitFor(() => expect(r.maybeFindByTestId(Flex, 'decision')).not.toBeNull(), WAIT);
    expect(textOf(r.findByTestId(Flex, 'decision'))).toMatch(
      /^SQL accepted by rep@example\.com · \w{3} \d{1,2}: “Spoke to them, real project”/,
    );
    expect(r.maybeFindByTestId(Button, 'accept')).toBeNull();
    expect(r.maybeFindByTestId(Button, 'reject')).toBeNull();
    // No success message beside a spinner: the decision line is the confirmation.
    expect(r.maybeFindByTestId(Alert, 'outcome')).toBeNull();
    await until(
      'the feedback in HubSpot',
      async () => inHubSpot(id)['lq_sql_feedback'] === 'accepted',
    );
    expect(inHubSpot(id)['lq_rejection_reason']).toBe('none');
    await r.waitFor(() => expect(r.maybeFind(LoadingSpinner)).toBeNull(), WAIT);
    // (Not a render: waited for on the test's side.)
    await until('HubSpot to be told to reload the record', async () => calls.refreshed > 0);
    const record = (await stack.runtime.feedback.latest(stack.portalId, id))!;
    expect(record).toMatchObject({
      decision: 'accepted',
      note: 'Spoke to them, real project',
      by: { userId: 4242 },
    });
    // Change brings the choice back (to reconsider: reject it).
    r.findByTestId(Button, 'change-decision').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'reject')).not.toBeNull());
    // The rep's acceptance made the lead an SQL, in HubSpot's stage too.
    expect(status(r)).toBe('SQL');
    await until(
      'the SQL stage in HubSpot',
      async () => inHubSpot(id)['lifecyclestage'] === 'salesqualifiedlead',
    );
  });

  it('Reject SQL: the reasons in a modal, a reason required, then recycled with the reason in HubSpot', async () => {
    const id = take('ready');
    const r = renderCard(id);
    await scored(r);
    expect(r.findByTestId(Button, 'reject').props.overlay?.find(Modal).props.title).toBe(
      'Reject this SQL',
    );
    r.findByTestId(LoadingButton, 'reject-submit').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Select, 'reject-reason').props.validationMessage).toMatch(
        /choose why/i,
      ),
    );
    r.findByTestId(Select, 'reject-reason').trigger('onChange', 'other' as never);
    r.findByTestId(LoadingButton, 'reject-submit').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(TextArea, 'reject-note').props.validationMessage).toMatch(/note/i),
    );
    r.findByTestId(Select, 'reject-reason').trigger('onChange', 'no_budget' as never);
    r.findByTestId(LoadingButton, 'reject-submit').trigger('onClick');
    await r.waitFor(() => expect(status(r)).toBe('Recycled'), WAIT);
    expect(textOf(r.findByTestId(Flex, 'decision'))).toMatch(
      /^SQL rejected \(No budget\) by rep@example\.com/,
    );
    expect(inHubSpot(id)).toMatchObject({
      lq_sql_feedback: 'rejected',
      lq_rejection_reason: 'no_budget',
      lq_status: 'recycled',
    });
    // A rep may change their mind: Change, then Accept.
    r.findByTestId(Button, 'change-decision').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'accept').props.disabled).toBe(false));
  });

  it('a disqualified contact leads with its disqualifier in words; no score, factors or SQL actions on top', async () => {
    // A rep marks the lead unqualified in HubSpot; the card hears of the edit and looks again.
    const id = take('mql');
    const { calls, actions } = spyActions();
    const r = renderCard(id, actions);
    await scored(r);
    expect(calls.onUpdate.length).toBe(1);
    const person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
    await person.crm.contacts.basicApi.update(id, {
      properties: { hs_lead_status: 'UNQUALIFIED' },
    });
    await until(
      'the contact to be disqualified',
      async () => (await stack.runtime.scores.get(stack.portalId, id))?.status === 'disqualified',
    );
    calls.onUpdate[0]!({ hs_lead_status: 'UNQUALIFIED' });
    await r.waitFor(() => expect(status(r)).toBe('Disqualified'), WAIT);
    const first = r.find(Alert);
    expect(first.props.testId).toBe('disqualified');
    expect(first.text).toMatch(
      /Marked unqualified by sales \(Lead Status: Unqualified\)\. Scores and criteria do not count/,
    );
    expect(r.maybeFind(ScoreCircle)).toBeNull();
    expect(internals(everything(r))).toEqual([]);
    expect(r.maybeFindByTestId(Flex, 'top-factors')).toBeNull();
    expect(r.maybeFindByTestId(Button, 'accept')).toBeNull();
    expect(r.maybeFindByTestId(LoadingButton, 'rescore')).not.toBeNull();
  });

  it('an MQL has no Accept / Reject, and each next step gives its points once', async () => {
    const id = take('mql');
    const r = renderCard(id);
    await scored(r);
    expect(status(r)).toBe('MQL');
    expect(r.maybeFindByTestId(Button, 'accept')).toBeNull();
    expect(r.maybeFindByTestId(Button, 'reject')).toBeNull();
    const q = (await stack.runtime.scores.get(stack.portalId, id))!;
    const next = lines(r, 'next').slice(1);
    expect(next).toEqual(q.next.map(nextStepLine));
    for (const line of next) expect(line.match(/\+\d+/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(next.join('\n')).not.toMatch(/reaches \w+.*reaches/);
  });

  it('a customer who is an SQL: no Accept / Reject and no follow-up deadline, the stage said once', async () => {
    const id = [...(byStatus.get('ready') ?? [])].find(
      (c) => inHubSpot(c)['lifecyclestage'] === 'customer',
    );
    expect(id, 'a seeded customer scored SQL').toBeDefined();
    const r = renderCard(id!);
    await scored(r);
    expect(status(r)).toBe('Ready for sales');
    expect(r.findByTestId(Text, 'stage').text).toBe('Lifecycle stage: Customer');
    expect(r.maybeFindByTestId(Button, 'accept')).toBeNull();
    expect(r.maybeFindByTestId(Text, 'milestones')?.text ?? '').not.toMatch(/follow/);
    const refused = await ui.fetch(`${BACKEND_URL}/api/card/contacts/${id}/feedback`, {
      method: 'POST',
      body: { decision: 'accepted' },
    });
    expect(JSON.stringify(await refused.json())).toMatch(/already took this contact on/);
  });

  it('a poor fit gets no activity to chase: only why it cannot become an MQL', async () => {
    const ids = byStatus.get('lead') ?? [];
    let found: string | undefined;
    for (const id of ids) {
      const q = (await stack.runtime.scores.get(stack.portalId, id))!;
      if (q.fitScore < 30) found = id;
      if (found) break;
    }
    expect(found, 'a seeded lead with a poor fit').toBeDefined();
    const r = renderCard(found!);
    await scored(r);
    expect(lines(r, 'next').slice(1)).toEqual([
      expect.stringMatching(
        /below the MQL minimum of \d+: activity alone cannot make this an MQL$/,
      ),
    ]);
  });

  it('a contact not synced yet says so, and Rescore now scores it', async () => {
    const id = take('lead');
    await stack.runtime.scores.remove(stack.portalId, id);
    const r = renderCard(id);
    await r.waitFor(() => expect(r.find(EmptyState).props.title).toBe('Not scored yet'), WAIT);
    r.findByTestId(LoadingButton, 'rescore').trigger('onClick');
    await scored(r);
    expect(status(r)).toBe('Lead');
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
        () => expect(renderer.find(LoadingSpinner).props.label).toBe('Rescoring from HubSpot…'),
        WAIT,
      );
      expect(renderer.findByTestId(LoadingButton, 'rescore').props.loading).toBe(true);
      await renderer.waitFor(
        () => expect(renderer.maybeFindByTestId(Alert, 'still-working')).not.toBeNull(),
        WAIT,
      );
      // It says how to look again, with the button that does it.
      expect(renderer.findByTestId(Button, 'refresh').text).toBe('Refresh the card');
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CardView,
  FeedbackView,
  HandOffSettingsInput,
  HandOffView,
} from '@lead-qualifier/contract';
import type { Stack } from '../../src/demo/stack';
import { associationKind } from '../../src/sandbox/associations';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, backendFetch, contactsByStatus } from '../support/ui';

let stack: Stack;
let ui: ReturnType<typeof backendFetch>;
const portal = () => stack.sandbox.state.portal(stack.portalId);
const contact = (id: string) => portal().get('contacts', id)!.properties;

/** The leads HubSpot holds for a contact (open or not). */
function leadsOf(contactId: string) {
  return [...portal().all('leads')].filter((l) =>
    [...portal().associations.list('leads', l.id, 'contacts')].some(([id]) => id === contactId),
  );
}

/** A person working the lead in HubSpot (their token: a CRM_UI change, sent as a webhook). */
async function personSets(type: string, id: string, properties: Record<string, string>) {
  const res = await fetch(`${stack.sandbox.url}/crm/v3/objects/${type}/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${stack.personToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ properties }),
  });
  expect(res.status).toBe(200);
}

async function api<T>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: object,
): Promise<{ status: number; json: T }> {
  const res = await ui(`${BACKEND_URL}${path}`, {
    method,
    ...(body ? { body: body as Record<string, unknown> } : {}),
  });
  return { status: res.status, json: (await res.json()) as T };
}

const owner = (name: string) =>
  portal()
    .staff.all()
    .find((o) => `${o.firstName} ${o.lastName}` === name)!;

let ready: string[];
let accountContact: string;
/** Who plays what: the rep rejects one, qualifies one, one is changed unseen, the rest wait. */
let rejected: string;
let qualified: string;
let swept: string;
let waiting: string[];
const FIRST_TOUCH_HOURS = 0.004; // 14.4 s: the test waits for real BullMQ delays

beforeAll(async () => {
  stack = await testStack('handoff', { contacts: 160 });
  await stack.install();
  await backfillDone(stack);
  ui = backendFetch(stack);
  ready = (await contactsByStatus(stack)).get('ready') ?? [];
  // One ready contact's company is an account Ben owns.
  accountContact = ready.find((id) => contact(id)['associatedcompanyid'])!;
  await personSets('companies', contact(accountContact)['associatedcompanyid']!, {
    hubspot_owner_id: owner('Ben Ortiz').id,
  });
  const others = ready.filter((c) => c !== accountContact);
  // One sales has not taken on yet (a customer's stage stays: lifecycle moves forward only).
  qualified = others.find(
    (c) => !['opportunity', 'customer', 'evangelist'].includes(contact(c)['lifecyclestage'] ?? ''),
  )!;
  [rejected, swept, ...waiting] = others.filter((c) => c !== qualified) as [string, string];
}, 120_000);
afterAll(() => stack?.close());

const EMEA = ['United Kingdom', 'Germany', 'France', 'Netherlands', 'Ireland', 'Spain', 'Sweden'];

function settings(over: Partial<HandOffSettingsInput> = {}): HandOffSettingsInput {
  return {
    enabled: true,
    trigger: 'ready',
    rules: [
      { kind: 'account_owner' },
      {
        kind: 'territory',
        name: 'EMEA',
        when: [{ object: 'contact', property: 'country', values: EMEA }],
        ownerIds: [owner('Ann Lee').id, owner('Chloé Martin').id],
      },
    ],
    roundRobinTeamId: null,
    firstTouchHours: FIRST_TOUCH_HOURS,
    ...over,
  };
}

describe('the hand-off to sales as HubSpot Leads', () => {
  it('refuses routing to a user without a seat, saying who and why, and saves nothing', async () => {
    const bad = settings({ roundRobinOwnerIds: [owner('Erin Walsh').id] });
    const res = await api<{ error: { message: string; details: Array<{ message: string }> } }>(
      'PUT',
      '/api/settings/handoff',
      bad,
    );
    expect(res.status).toBe(400);
    expect(res.json.error.details[0]!.message).toBe(
      'Erin Walsh has no seat in HubSpot: leads can only go to users with a seat',
    );
    const view = await api<HandOffView>('GET', '/api/settings/handoff');
    expect(view.json.settings.enabled).toBe(false);
    expect(view.json.mode.mode).toBe('leads');
    expect(view.json.owners.find((o) => o.name === 'Erin Walsh')).toMatchObject({ seated: false });
  });

  it('previews who would get the week’s qualified contacts, writing nothing', async () => {
    const res = await api<{ contacts: number; byOwner: Array<{ name: string; leads: number }> }>(
      'POST',
      '/api/settings/handoff/preview',
      settings(),
    );
    expect(res.status).toBe(200);
    expect(res.json.contacts).toBe(ready.length);
    expect(res.json.byOwner.reduce((n, o) => n + o.leads, 0)).toBe(ready.length);
    expect(res.json.byOwner.map((o) => o.name)).not.toContain('Erin Walsh');
    expect([...portal().all('leads')]).toHaveLength(0);
  });

  it('turned on, gives every contact ready for sales one lead, owned by its routed rep', async () => {
    expect(ready.length).toBeGreaterThanOrEqual(4);
    const saved = await api<HandOffView>('PUT', '/api/settings/handoff', settings());
    expect(saved.status).toBe(200);
    await until(
      'a lead, with its note, for every ready contact',
      async () =>
        ready.every(
          (id) =>
            leadsOf(id).length === 1 &&
            portal().associations.list('leads', leadsOf(id)[0]!.id, 'notes').length > 0,
        ),
      60_000,
      200,
    );
    const seated = new Set(['Ann Lee', 'Ben Ortiz', 'Chloé Martin', 'Dev Patel']);
    for (const id of ready) {
      const [lead] = leadsOf(id);
      const props = lead!.properties;
      expect(props['hs_pipeline_stage']).toBe('new-stage-id');
      expect(props['hs_lead_name']).toBe(
        [contact(id)['firstname'], contact(id)['lastname']].filter(Boolean).join(' '),
      );
      const o = portal().staff.get(props['hubspot_owner_id']!)!;
      expect(seated.has(`${o.firstName} ${o.lastName}`)).toBe(true);
      // Associated with its contact as the primary contact, and with its company.
      const kind = associationKind('leads', 'contacts')!;
      expect(
        [...portal().associations.list('leads', lead!.id, 'contacts')][0]![1].has(kind.primary!),
      ).toBe(true);
      // Accounts go to their owner; the others in EMEA to the EMEA reps.
      const company = portal().get('companies', contact(id)['associatedcompanyid'] ?? '');
      const accountOwner = company?.properties['hubspot_owner_id'];
      if (accountOwner) expect(o.id).toBe(accountOwner);
      else if (EMEA.includes(contact(id)['country'] ?? ''))
        expect(['Ann', 'Chloé']).toContain(o.firstName);
    }
    // Each lead carries a note saying why, for the rep in the workspace.
    for (const id of ready) {
      const [lead] = leadsOf(id);
      const notes = [...portal().associations.list('leads', lead!.id, 'notes')].map(
        ([noteId]) => portal().get('notes', noteId)!.properties['hs_note_body'] ?? '',
      );
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(
        /^Lead Qualifier handed this contact to sales: score \d+, grade [AB]\. Why: .+\(.+\)\. Routed to .+: .+\.$/,
      );
    }
    // The account's owner got the account's contact.
    const [accountLead] = leadsOf(accountContact);
    expect(accountLead!.properties['hubspot_owner_id']).toBe(owner('Ben Ortiz').id);
    const card = await api<CardView>('GET', `/api/card/contacts/${accountContact}`);
    expect(card.json.lead).toMatchObject({
      mode: 'leads',
      leadId: accountLead!.id,
      ownerName: 'Ben Ortiz',
      routedBy: 'Routed to Ben Ortiz: account owner',
      stageLabel: 'New',
      outcome: 'open',
    });
    expect(card.json.canHandOff).toBe(false);
    // Ben starts working it at once: its first touch is in time.
    await personSets('leads', accountLead!.id, { hs_pipeline_stage: 'attempting-stage-id' });
  });

  it('never makes a second open lead: concurrent hand-offs, and a lead a person made', async () => {
    const [id] = ready;
    await Promise.all([
      ...Array.from({ length: 8 }, () => stack.runtime.producer.handOff(stack.portalId, id!)),
      api('POST', `/api/card/contacts/${id}/handoff`),
    ]);
    // An MQL a rep already made a lead for in HubSpot, handed off from the card: attached to.
    const mql = (await contactsByStatus(stack)).get('mql')![0]!;
    const made = await fetch(`${stack.sandbox.url}/crm/v3/objects/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.personToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        properties: { hs_lead_name: 'Made by Dev', hubspot_owner_id: owner('Dev Patel').id },
        associations: [
          {
            to: { id: mql },
            types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 578 }],
          },
        ],
      }),
    });
    expect(made.status).toBe(201);
    const handed = await Promise.all(
      Array.from({ length: 3 }, () => api<CardView>('POST', `/api/card/contacts/${mql}/handoff`)),
    );
    expect(handed.map((h) => h.status)).toContain(202);
    const card = await until(
      'the MQL to be handed off',
      async () => (await api<CardView>('GET', `/api/card/contacts/${mql}`)).json.lead,
      30_000,
      100,
    );
    expect(card).toMatchObject({
      ownerName: 'Dev Patel',
      routedBy: 'Routed to Dev Patel: the lead already open in HubSpot',
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(leadsOf(id!)).toHaveLength(1);
    expect(leadsOf(mql)).toHaveLength(1);
  });

  it('takes the rep’s Disqualified as a rejection with its reason, on the card and in the report', async () => {
    const id = rejected;
    const [lead] = leadsOf(id);
    await personSets('leads', lead!.id, {
      hs_pipeline_stage: 'unqualified-stage-id',
      hs_lead_disqualification_reason: 'NO_BUDGET',
      hs_lead_disqualification_note: 'Budget frozen until Q3',
    });
    await until(
      'the rejection to be written',
      async () => contact(id)['lq_sql_feedback'] === 'rejected',
      30_000,
      100,
    );
    expect(contact(id)['lq_rejection_reason']).toBe('no_budget');
    const card = await api<CardView>('GET', `/api/card/contacts/${id}`);
    expect(card.json.feedback).toMatchObject({
      decision: 'rejected',
      reason: 'no_budget',
      note: 'Budget frozen until Q3',
    });
    expect(card.json.lead).toMatchObject({ outcome: 'disqualified', stageLabel: 'Disqualified' });
    const report = await api<FeedbackView>('GET', '/api/settings/feedback');
    expect(report.json.stats.reasons).toContainEqual({ reason: 'no_budget', count: 1 });
  });

  it(
    'takes the rep’s Qualified as an accepted SQL: lifecycle stage SQL',
    { timeout: 60_000 },
    async () => {
      const id = qualified;
      const [lead] = leadsOf(id);
      await personSets('leads', lead!.id, { hs_pipeline_stage: 'qualified-stage-id' });
      await until(
        'the acceptance',
        async () => contact(id)['lq_sql_feedback'] === 'accepted',
        20_000,
        100,
      ).catch((e) => {
        const c = contact(id);
        console.log(
          'DEBUG',
          JSON.stringify(
            Object.fromEntries(
              Object.entries(c).filter(([k]) => k.startsWith('lq_') || k === 'lifecyclestage'),
            ),
          ),
          lead!.properties,
        );
        throw e;
      });
      await until(
        'the SQL',
        async () => contact(id)['lifecyclestage'] === 'salesqualifiedlead',
        20_000,
        100,
      ).catch((e) => {
        const c = contact(id);
        console.log(
          'DEBUG2',
          JSON.stringify(
            Object.fromEntries(
              Object.entries(c).filter(([k]) => k.startsWith('lq_') || k === 'lifecyclestage'),
            ),
          ),
        );
        throw e;
      });
      expect(contact(id)['lq_sql_feedback']).toBe('accepted');
      expect(contact(id)['lq_status']).toBe('sql');
    },
  );

  it('finds a stage change whose webhook never came, in the sweep of open leads', async () => {
    const id = swept;
    const [lead] = leadsOf(id);
    // Changed in HubSpot with no event sent: only the sweep can see it.
    lead!.properties['hs_pipeline_stage'] = 'unqualified-stage-id';
    lead!.properties['hs_lead_disqualification_reason'] = 'BAD_TIMING';
    await stack.runtime.producer.leadsSweep(stack.portalId);
    await until(
      'the sweep to find it',
      async () => contact(id)['lq_sql_feedback'] === 'rejected',
      30_000,
      100,
    );
    expect(contact(id)['lq_rejection_reason']).toBe('bad_timing');
  });

  it('times the first touch: a lead worked in time is touched, one left in New is breached', async () => {
    expect(waiting.length).toBeGreaterThanOrEqual(1);
    const [worked, ignored] = [accountContact, waiting];
    await personSets('leads', leadsOf(worked!)[0]!.id, {
      hs_pipeline_stage: 'attempting-stage-id',
    });
    await until(
      'the ignored leads to be breached',
      async () => ignored.every((id) => contact(id)['lq_sla_breached'] === 'true'),
      60_000,
      200,
    );
    const workedCard = await api<CardView>('GET', `/api/card/contacts/${worked}`);
    expect(workedCard.json.lead).toMatchObject({ breached: false, stageLabel: 'Attempting' });
    expect(workedCard.json.lead!.firstTouchAt).not.toBeNull();
    const ignoredCard = await api<CardView>('GET', `/api/card/contacts/${ignored[0]}`);
    expect(ignoredCard.json.lead).toMatchObject({ breached: true, firstTouchAt: null });
    const view = await api<HandOffView>('GET', '/api/settings/handoff');
    // The ready contacts and the MQL handed off from the card; that one may be due by now too.
    expect(view.json.firstTouch.handedOff).toBe(ready.length + 1);
    expect(view.json.firstTouch.breached).toBeGreaterThanOrEqual(ignored.length);
    expect(view.json.firstTouch.breached).toBeLessThanOrEqual(ignored.length + 1);
    expect(view.json.firstTouch.medianMinutes).not.toBeNull();
    // The funnel report says the same.
    const funnel = await api<{ speedToLead: HandOffView['firstTouch'] }>(
      'GET',
      '/api/settings/funnel',
    );
    expect(funnel.json.speedToLead.handedOff).toBe(view.json.firstTouch.handedOff);
    expect(funnel.json.speedToLead.byOwner.map((o) => [o.name, o.handedOff])).toEqual(
      view.json.firstTouch.byOwner.map((o) => [o.name, o.handedOff]),
    );
    const byOwner = view.json.firstTouch.byOwner;
    expect(byOwner.find((o) => o.name === 'Ben Ortiz')!.medianMinutes).not.toBeNull();
    expect(byOwner.reduce((n, o) => n + o.handedOff, 0)).toBe(ready.length + 1);
    expect(byOwner.reduce((n, o) => n + o.breached, 0)).toBe(view.json.firstTouch.breached);
    expect(view.json.firstTouch.bySource.reduce((n, o) => n + o.handedOff, 0)).toBe(
      ready.length + 1,
    );
  }, 90_000);
});

describe('a seat taken away after the owners were read', () => {
  it('HubSpot refuses the lead for that owner: it is routed again, to someone with a seat', async () => {
    const handedOff = new Set(
      [...portal().all('leads')].flatMap((l) =>
        [...portal().associations.list('leads', l.id, 'contacts')].map(([id]) => id),
      ),
    );
    const mql = (await contactsByStatus(stack))
      .get('mql')!
      .find(
        (id) =>
          !handedOff.has(id) &&
          contact(id)['country'] &&
          !portal().get('companies', contact(id)['associatedcompanyid'] ?? '')?.properties[
            'hubspot_owner_id'
          ],
      )!;
    const dev = owner('Dev Patel');
    const saved = await api<HandOffView>(
      'PUT',
      '/api/settings/handoff',
      settings({
        rules: [
          {
            kind: 'territory',
            name: 'Dev’s country',
            when: [{ object: 'contact', property: 'country', values: [contact(mql)['country']!] }],
            ownerIds: [dev.id],
          },
        ],
      }),
    );
    expect(saved.status).toBe(200);
    // The seat goes after the app read the owners (it keeps them a few minutes).
    await fetch(`${stack.sandbox.url}/_sandbox/portals/${stack.portalId}/owners/${dev.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seats: [] }),
    });
    expect((await api('POST', `/api/card/contacts/${mql}/handoff`)).status).toBe(202);
    const lead = await until('the lead', async () => leadsOf(mql)[0], 30_000, 100);
    const o = portal().staff.get(lead.properties['hubspot_owner_id']!)!;
    expect(o.id).not.toBe(dev.id);
    expect(o.seats.length).toBeGreaterThan(0);
    const card = await api<CardView>('GET', `/api/card/contacts/${mql}`);
    expect(card.json.lead!.routedBy).toBe(`Routed to ${o.firstName} ${o.lastName}: round-robin`);
  });
});

describe('contacts deleted or merged in HubSpot', () => {
  it('a merged contact’s lead follows it to the contact it was merged into; a deleted one’s is closed', async () => {
    expect(waiting.length).toBeGreaterThanOrEqual(3);
    const [deleted, mergedAway] = waiting as [string, string];
    const deletedLead = leadsOf(deleted)[0]!;
    const movedLead = leadsOf(mergedAway)[0]!;
    const survivor = (await contactsByStatus(stack)).get('lead')![0]!;
    const asPerson = (path: string, method: string, body?: unknown) =>
      fetch(`${stack.sandbox.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${stack.personToken}`,
          'content-type': 'application/json',
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    expect((await asPerson(`/crm/v3/objects/contacts/${deleted}`, 'DELETE')).status).toBe(204);
    const merged = await asPerson('/crm/v3/objects/contacts/merge', 'POST', {
      primaryObjectId: survivor,
      objectIdToMerge: mergedAway,
    });
    expect(merged.status).toBe(200);
    await until(
      'the deleted contact’s lead to be closed',
      async () => deletedLead.properties['hs_pipeline_stage'] === 'unqualified-stage-id',
      30_000,
      100,
    );
    expect(deletedLead.properties['hs_lead_disqualification_note']).toBe(
      'Lead Qualifier closed this lead: its contact was deleted in HubSpot.',
    );
    const card = await until(
      'the merged lead on the surviving contact’s card',
      async () => (await api<CardView>('GET', `/api/card/contacts/${survivor}`)).json.lead,
      30_000,
      100,
    );
    expect(card).toMatchObject({ leadId: movedLead.id, outcome: 'open' });
    expect(movedLead.properties['hs_pipeline_stage']).not.toBe('unqualified-stage-id');
    expect((await api<CardView>('GET', `/api/card/contacts/${mergedAway}`)).json.lead).toBeNull();
  });

  it('a privacy deletion erases the contact’s hand-off with the rest of its data', async () => {
    const erased = waiting[2]!;
    expect((await api<CardView>('GET', `/api/card/contacts/${erased}`)).json.lead).not.toBeNull();
    const res = await fetch(`${stack.sandbox.url}/crm/v3/objects/contacts/gdpr-delete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.personToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ objectId: erased }),
    });
    expect(res.status).toBe(204);
    await until(
      'the hand-off to be erased',
      async () => (await api<CardView>('GET', `/api/card/contacts/${erased}`)).json.lead === null,
      30_000,
      100,
    );
    const keys = await stack.runtime.redis.hkeys(stack.runtime.keys.handOffs(stack.portalId));
    expect(keys).not.toContain(erased);
  });
});

describe('portals without the Leads object', () => {
  it('hand off as a task for the routed owner, who becomes the contact owner; settings say why', async () => {
    const other = stack.addPortal({ contacts: 120, seed: 11 });
    stack.sandbox.state.portal(other).hasLeads = false;
    await stack.install(other);
    const theirs = backendFetch(stack, { portalId: other });
    await until(
      'the backfill of the portal without Leads',
      async () => (await stack.runtime.backfills.get(other))?.status === 'done',
      60_000,
      100,
    );
    const get = async () =>
      (await (await theirs(`${BACKEND_URL}/api/settings/handoff`)).json()) as HandOffView;
    const view = await get();
    expect(view.mode.mode).toBe('tasks');
    expect(view.mode.reason).toContain('did not grant access to HubSpot Leads');
    const put = await theirs(`${BACKEND_URL}/api/settings/handoff`, {
      method: 'PUT',
      body: { enabled: true, trigger: 'ready', rules: [], firstTouchHours: 24 },
    });
    expect(put.status).toBe(200);
    const p = stack.sandbox.state.portal(other);
    const readyThere = [...p.all('contacts')]
      .filter((c) => c.properties['lq_status'] === 'ready')
      .map((c) => c.id);
    expect(readyThere.length).toBeGreaterThanOrEqual(1);
    await until(
      'a task per ready contact',
      async () =>
        readyThere.every(
          (id) =>
            !!p.get('contacts', id)!.properties['hubspot_owner_id'] &&
            [...p.associations.list('contacts', id, 'tasks')].some(([taskId]) =>
              p.get('tasks', taskId)?.properties['hs_task_subject']?.startsWith('Follow up'),
            ),
        ),
      60_000,
      200,
    );
    expect([...p.all('leads')]).toHaveLength(0);
    for (const id of readyThere) {
      const ownerId = p.get('contacts', id)!.properties['hubspot_owner_id'];
      expect(p.staff.get(ownerId!)!.seats.length).toBeGreaterThan(0);
      // One task, the owner's, saying why.
      const tasks = [...p.associations.list('contacts', id, 'tasks')]
        .map(([taskId]) => p.get('tasks', taskId)!.properties)
        .filter((t) => t['hs_task_subject']?.startsWith('Follow up'));
      expect(tasks).toHaveLength(1);
      expect(tasks[0]!['hubspot_owner_id']).toBe(ownerId);
      expect(tasks[0]!['hs_task_body']).toMatch(
        /^Lead Qualifier handed this contact to sales \(round-robin\)\. Why: .+\(\+?/,
      );
    }
    // Round-robin over the seated reps: within one of each other.
    const counts = new Map<string, number>();
    for (const id of readyThere) {
      const o = p.get('contacts', id)!.properties['hubspot_owner_id']!;
      counts.set(o, (counts.get(o) ?? 0) + 1);
    }
    const n = [...counts.values()];
    if (readyThere.length >= 4) expect(Math.max(...n) - Math.min(...n)).toBeLessThanOrEqual(1);
  }, 120_000);
});

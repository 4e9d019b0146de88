import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { backfillDone, testStack, until } from '../support/stack';
import { BACKEND_URL, backendFetch } from '../support/ui';

// Admins can remove HubSpot's default lifecycle stages, add their own and reorder them
// (https://developers.hubspot.com/changelog/upcoming-customized-lifecycle-stages-for-contacts-and-companies);
// writing an option the portal does not have is refused with a 400 for the whole batch.

let stack: Stack;
let admin: Client;
/** Contacts at the removed MQL stage before the install (set by people, not by us). */
let atRemovedStageBefore: number;
const atRemovedStage = () =>
  contacts().filter((c) => c.properties['lifecyclestage'] === 'marketingqualifiedlead').length;

const contact = (id: string) => stack.sandbox.state.portal(stack.portalId).get('contacts', id)!;
const contacts = () => [...stack.sandbox.state.portal(stack.portalId).all('contacts')];
const withStatus = (status: string) =>
  contacts().filter((c) => c.properties['lq_status'] === status);

/** The portal's stages, as its admin arranged them in HubSpot's settings. */
async function setStages(stages: Array<[value: string, label: string]>) {
  await admin.apiRequest({
    method: 'PATCH',
    path: '/crm/v3/properties/contacts/lifecyclestage',
    body: { options: stages.map(([value, label]) => ({ value, label })) },
  });
}

beforeAll(async () => {
  stack = await testStack('lifecycle-stages', { contacts: 150 });
  admin = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
  // No "Marketing Qualified Lead"; a stage of their own, "Working"; SQL renamed.
  await setStages([
    ['subscriber', 'Subscriber'],
    ['lead', 'Lead'],
    ['working', 'Working'],
    ['salesqualifiedlead', 'Sales Accepted'],
    ['opportunity', 'Opportunity'],
    ['customer', 'Customer'],
    ['evangelist', 'Evangelist'],
    ['other', 'Other'],
  ]);
  atRemovedStageBefore = atRemovedStage();
  // The model makes SQLs itself here: every status then has a stage of its own to write.
  await stack.runtime.models.ensureInitial(stack.portalId, {
    ...DEFAULT_MODEL,
    sql: { ...DEFAULT_MODEL.sql, handOff: 'automatic' },
  });
  await stack.install();
  await backfillDone(stack);
}, 90_000);
afterAll(() => stack.close());

describe('lifecycle stages as the portal defines them', () => {
  it('every contact gets its scores, and each status the stage the portal has for it', async () => {
    const activity = await stack.runtime.redis.hgetall(stack.runtime.keys.activity(stack.portalId));
    expect(activity['refusedWrites']).toBeUndefined();
    const all = contacts().filter((c) => !c.archived);
    expect(all.filter((c) => c.properties['lq_status'] === undefined)).toEqual([]);
    expect(all.filter((c) => c.properties['lq_score'] === undefined)).toEqual([]);
    const mqls = withStatus('mql');
    const sqls = withStatus('sql');
    expect(mqls.length).toBeGreaterThan(0);
    expect(sqls.length).toBeGreaterThan(0);
    // MQL maps to a stage this portal removed: no stage is written for it, nothing is refused.
    expect(atRemovedStage()).toBe(atRemovedStageBefore);
    for (const c of sqls)
      expect(['salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']).toContain(
        c.properties['lifecyclestage'],
      );
  });

  it("the admin maps MQL to the portal's own stage: MQLs move there, and the card names it as the portal does", async () => {
    const user = backendFetch(stack, { userId: 11, userEmail: 'ops@example.com' });
    const view = (await (await user(`${BACKEND_URL}/api/settings/model`)).json()) as {
      active: { version: number; model: { lifecycle: { stages: string[] } } & object };
      stageLabels: Record<string, string>;
    };
    // The form is loaded with the portal's stages and their labels.
    expect(view.active.model.lifecycle.stages).toContain('working');
    expect(view.stageLabels['working']).toBe('Working');
    const model = view.active.model as { lifecycle: Record<string, unknown> };
    const draft = {
      ...model,
      lifecycle: {
        ...model.lifecycle,
        mapping: { lead: 'lead', mql: 'working', sql: 'salesqualifiedlead' },
      },
    };
    const saved = await user(`${BACKEND_URL}/api/settings/draft`, {
      method: 'PUT',
      body: { model: draft, baseVersion: view.active.version },
    });
    expect(saved.status).toBe(200);
    // A stage the portal does not have is refused, with the field named.
    const wrong = await user(`${BACKEND_URL}/api/settings/draft`, {
      method: 'PUT',
      body: {
        model: {
          ...draft,
          lifecycle: {
            ...draft.lifecycle,
            mapping: { lead: 'lead', mql: 'marketingqualifiedlead', sql: null },
          },
        },
        baseVersion: view.active.version,
      },
    });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toMatch(
      /model\.lifecycle\.mapping\.mql.*not one of the portal's lifecycle stages/,
    );
    // Previewed first (nothing is published unseen): it says the MQLs move to Working.
    const started = await user(`${BACKEND_URL}/api/settings/previews`, {
      method: 'POST',
      body: { model: draft },
    });
    const previewId = ((await started.json()) as { id: string }).id;
    const preview = await until(
      'the preview to finish',
      async () => {
        const p = (await (
          await user(`${BACKEND_URL}/api/settings/previews/${previewId}`)
        ).json()) as {
          status: string;
          result: { lifecycleForward: Array<{ stage: string; count: number }> } | null;
        };
        return p.status === 'done' ? p : null;
      },
      30_000,
      100,
    );
    expect(preview.result!.lifecycleForward.map((m) => m.stage)).toContain('working');
    const published = await user(`${BACKEND_URL}/api/settings/publish`, {
      method: 'POST',
      body: { baseVersion: view.active.version, note: 'MQLs go to our Working stage', previewId },
    });
    expect(published.status).toBeLessThan(300);
    await until(
      'the MQLs to reach the Working stage',
      async () => {
        const mqls = withStatus('mql');
        return (
          mqls.length > 0 &&
          mqls.every((c) =>
            [
              'working',
              'salesqualifiedlead',
              'opportunity',
              'customer',
              'evangelist',
              'other',
            ].includes(c.properties['lifecyclestage'] ?? ''),
          )
        );
      },
      60_000,
      200,
    );
    const mql = withStatus('mql').find((c) => c.properties['lifecyclestage'] === 'working')!;
    const card = (await (await user(`${BACKEND_URL}/api/card/contacts/${mql.id}`)).json()) as {
      stageLabel: string | null;
    };
    expect(card.stageLabel).toBe('Working');
  });

  it('a stage removed after it was read: the write is refused, the scores are written anyway, the admin is told', async () => {
    // "Sales Accepted" disappears from the portal while our list still has it.
    await setStages([
      ['subscriber', 'Subscriber'],
      ['lead', 'Lead'],
      ['working', 'Working'],
      ['opportunity', 'Opportunity'],
      ['customer', 'Customer'],
      ['evangelist', 'Evangelist'],
      ['other', 'Other'],
    ]);
    const sql = withStatus('sql').find(
      (c) => c.properties['lifecyclestage'] === 'salesqualifiedlead',
    )!;
    const scoredAt = contact(sql.id).properties['lq_scored_at'];
    // A person clears the stage: the change comes back as a webhook, and the rescore wants SQL.
    await admin.crm.contacts.basicApi.update(sql.id, { properties: { lifecyclestage: '' } });
    await until(
      'the refused write to be recorded',
      async () => {
        const activity = await stack.runtime.redis.hgetall(
          stack.runtime.keys.activity(stack.portalId),
        );
        return Number(activity['refusedWrites'] ?? 0) > 0 ? activity : null;
      },
      30_000,
      100,
    );
    const activity = await stack.runtime.redis.hgetall(stack.runtime.keys.activity(stack.portalId));
    expect(activity['lastRefused']).toMatch(/"lifecyclestage" not written for 1 contact/);
    // The contact's scores were written without the stage.
    expect(contact(sql.id).properties['lq_status']).toBe('sql');
    expect(contact(sql.id).properties['lq_scored_at']).not.toBe(scoredAt);
    expect(contact(sql.id).properties['lifecyclestage']).toBeUndefined();
    // The portal's stages are read again at once (right after the refusal is recorded: the
    // run that met it does so before it ends).
    const stages = await until(
      'the stages to be read again',
      async () => {
        const json = await stack.runtime.redis.get(
          stack.runtime.keys.lifecycleStages(stack.portalId),
        );
        return json !== null && !json.includes('salesqualifiedlead') ? json : null;
      },
      10_000,
      50,
    );
    expect(JSON.parse(stages).stages.map((st: { value: string }) => st.value)).toEqual([
      'subscriber',
      'lead',
      'working',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]);
  });
});

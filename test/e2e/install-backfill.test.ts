import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { LQ_GROUP, LQ_PROPERTIES, LQ_PROPERTY_NAMES } from '../../src/server/domain/lq-properties';
import { backfillDone, testStack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await testStack('backfill', { contacts: 300 });
});
afterAll(() => stack.close());

describe('install, set-up and backfill against the sandbox', () => {
  it('installs through the real OAuth redirects and stores the refresh token encrypted', async () => {
    const { status, page } = await stack.install();
    expect(status).toBe(200);
    expect(page).toContain(`HubSpot account ${stack.portalId} is connected`);
    const raw = await stack.runtime.redis.hgetall(stack.runtime.keys.installation(stack.portalId));
    expect(raw['refreshToken']).toMatch(/^v1\./);
    const inst = await stack.runtime.installations.get(stack.portalId);
    expect(inst?.refreshToken).toMatch(/^refresh-/);
    expect(raw['refreshToken']).not.toContain(inst!.refreshToken);
  });

  it('creates the lq_* property group and properties, then scores every contact and writes them back', async () => {
    const progress = await backfillDone(stack);
    expect(progress.done).toBe(300);
    expect(progress.total).toBe(300);
    const portal = stack.sandbox.state.portal(stack.portalId);
    expect(portal.group('contacts', 'lead_qualifier')).toBeDefined();
    for (const name of LQ_PROPERTY_NAMES)
      expect(portal.propertyDef('contacts', name), name).toBeDefined();

    const contacts = [...portal.all('contacts')];
    for (const c of contacts) {
      for (const p of [
        'lq_score',
        'lq_grade',
        'lq_status',
        'lq_top_reasons',
        'lq_scored_at',
        'lq_model_version',
        'lq_sql_feedback',
      ]) {
        expect(c.properties[p], `${c.id} ${p}`).toBeDefined();
      }
    }
  });

  it('a portal installed by an older version gets the options this one writes, its own kept', async () => {
    await backfillDone(stack);
    const portal = stack.sandbox.state.portal(stack.portalId);
    const admin = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
    // As an older version left it: lq_status without "ready", and an option an admin added.
    const before = portal.propertyDef('contacts', 'lq_status')!.options!;
    await admin.apiRequest({
      method: 'PATCH',
      path: '/crm/v3/properties/contacts/lq_status',
      body: {
        options: [
          ...before
            .filter((o) => o.value !== 'ready')
            .map((o) => ({ label: o.label, value: o.value })),
          { label: 'Parked', value: 'parked' },
        ],
      },
    });
    expect(portal.propertyDef('contacts', 'lq_status')!.options!.map((o) => o.value)).not.toContain(
      'ready',
    );
    await stack.runtime.crm.ensureProperties(stack.portalId, LQ_GROUP, LQ_PROPERTIES);
    const after = portal.propertyDef('contacts', 'lq_status')!.options!.map((o) => o.value);
    expect(after).toContain('ready');
    expect(after).toContain('parked');
    expect(after.indexOf('parked')).toBeLessThan(after.indexOf('ready'));
  });

  it('qualifies each persona the way the product promises, and never moves a customer back', async () => {
    await backfillDone(stack);
    const portal = stack.sandbox.state.portal(stack.portalId);
    const truth = stack.seeded!.truth;
    const by = (persona: string) =>
      [...truth]
        .filter(([, t]) => t.persona === persona)
        .map(([id]) => portal.get('contacts', id)!.properties);
    const share = (persona: string, status: string) =>
      by(persona).filter((p) => p['lq_status'] === status).length / by(persona).length;
    expect(share('icp_buyer', 'ready')).toBeGreaterThan(0.8);
    expect(share('outbound_replied', 'ready')).toBeGreaterThan(0.8);
    expect(share('student', 'lead')).toBeGreaterThan(0.9);
    expect(share('stale_mql', 'recycled')).toBeGreaterThan(0.8);
    expect(
      by('bounced')
        .concat(by('unsubscribed'))
        .every((p) => p['lq_status'] !== 'mql'),
    ).toBe(true);
    expect(by('customer').every((p) => p['lifecyclestage'] === 'customer')).toBe(true);
    // Ready for sales is marketing's lead until a rep accepts it: never the SQL stage by itself.
    const ready = [...portal.all('contacts')].filter(
      (c) => c.properties['lq_status'] === 'ready' && c.properties['lq_sql_feedback'] === 'none',
    );
    expect(ready.length).toBeGreaterThan(0);
    expect(
      ready.every((c) =>
        ['marketingqualifiedlead', 'opportunity', 'customer'].includes(
          c.properties['lifecyclestage'] ?? '',
        ),
      ),
    ).toBe(true);
    expect(ready.every((c) => c.properties['lq_sla_due_at'] !== undefined)).toBe(true);
  });

  it('stays within the portal rate limit', async () => {
    await backfillDone(stack);
    expect(stack.sandbox.state.limiter.limited).toBe(0);
  });
});

describe('operations', () => {
  it('exposes queue depth, job durations, HubSpot requests, rate-limit waits and freshness on /metrics', async () => {
    await backfillDone(stack);
    const text = await (await fetch(`${stack.appUrl}/metrics`)).text();
    for (const metric of [
      'lq_queue_jobs{state="waiting"}',
      'lq_job_duration_seconds_count{job="backfill-page",outcome="done"}',
      'lq_hubspot_requests_total{endpoint="contacts.list",status="2xx"}',
      'lq_webhook_events_total',
      'lq_freshness_seconds_bucket',
    ]) {
      expect(text, metric).toContain(metric);
    }
  });
});

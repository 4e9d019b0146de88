import { Writable } from 'node:stream';
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { signV3 } from '../../src/sandbox/webhook-dispatcher';
import { createLogger } from '../../src/server/logger';
import { backfillDone, testStack, until } from '../support/stack';

// Events in the shapes HubSpot documents, each beside the page it follows:
// - every event's envelope, contact.privacyDeletion: https://developers.hubspot.com/docs/api/webhooks
// - merge and legacy association change fields:
//   https://developers.hubspot.com/changelog/new-subscription-types-for-webhooks
// - generic object.* events (objectTypeId; association changes with both sides' type ids):
//   https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions

let stack: Stack;
let person: Client;
const logLines: Array<Record<string, unknown>> = [];
let nextEventId = 900_000;

const truthIds = (persona: string) =>
  [...stack.seeded!.truth].filter(([, t]) => t.persona === persona).map(([id]) => id);

function envelope(subscriptionType: string) {
  return {
    eventId: nextEventId++,
    subscriptionId: 7,
    portalId: stack.portalId,
    appId: stack.app.appId,
    occurredAt: Date.now(),
    subscriptionType,
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    sourceId: 'userId:7000002',
  };
}

/** Contact `merged` merged into `primary`, as HubSpot's generic webhooks announce it. */
function mergeEvent(primary: string, merged: string, propertiesMoved: number) {
  return {
    ...envelope('object.merge'),
    objectId: Number(primary),
    objectTypeId: '0-1',
    primaryObjectId: Number(primary),
    mergedObjectIds: [Number(merged)],
    newObjectId: Number(primary),
    numberOfPropertiesMoved: propertiesMoved,
  };
}

async function postSigned(events: unknown[]): Promise<Response> {
  const url = `${stack.appUrl}/webhooks/hubspot`;
  const body = JSON.stringify(events);
  const timestamp = String(Date.now());
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signV3(stack.app.clientSecret, 'POST', url, body, timestamp),
      'x-hubspot-request-timestamp': timestamp,
    },
  });
}

const scoredAt = async (id: string) =>
  (await stack.runtime.scores.get(stack.portalId, id))?.scoredAt ?? null;

/** Every place in our Redis (key names, values, BullMQ jobs) where `id` still appears. */
async function whereStored(id: string): Promise<string[]> {
  const redis = stack.runtime.redis;
  const pattern = new RegExp(`(?<![0-9])${id}(?![0-9])`);
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${stack.runtime.keys.prefix}*`,
      'COUNT',
      500,
    );
    cursor = next;
    for (const key of keys) {
      if (pattern.test(key)) found.push(`key ${key}`);
      const type = await redis.type(key);
      const values =
        type === 'string'
          ? [(await redis.get(key)) ?? '']
          : type === 'hash'
            ? Object.entries(await redis.hgetall(key)).flat()
            : type === 'list'
              ? await redis.lrange(key, 0, -1)
              : type === 'zset'
                ? await redis.zrange(key, 0, -1)
                : type === 'set'
                  ? await redis.smembers(key)
                  : [];
      if (values.some((v) => pattern.test(v))) found.push(`${type} ${key}`);
    }
  } while (cursor !== '0');
  return found;
}

beforeAll(async () => {
  stack = await testStack('webhook-events', {
    contacts: 120,
    runtime: {
      eraseAgainAfterMs: 300,
      logger: createLogger({
        level: 'info',
        destination: new Writable({
          write(chunk, _enc, done) {
            for (const line of String(chunk).split('\n').filter(Boolean))
              logLines.push(JSON.parse(line) as Record<string, unknown>);
            done();
          },
        }),
      }),
    },
  });
  await stack.install();
  await backfillDone(stack);
  await fetch(`${stack.sandbox.url}/_sandbox/webhooks/drain`, { method: 'POST' });
  person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
});
afterAll(() => stack.close());

describe('webhook events, each read on its own', () => {
  it('a batch mixing association changes, a merge, a privacy deletion and events we cannot read: 204, and each event does its part', async () => {
    const [noteContact, companyContact, primary, merged, erased] = truthIds('cold');
    const before = {
      note: (await scoredAt(noteContact!))!,
      company: (await scoredAt(companyContact!))!,
    };
    expect(await stack.runtime.scores.get(stack.portalId, erased!)).not.toBeNull();
    const batch = [
      // A note associated with a contact after it was created (generic: no objectId).
      {
        ...envelope('object.associationChange'),
        fromObjectId: 5_500_001,
        fromObjectTypeId: '0-46',
        toObjectId: Number(noteContact),
        toObjectTypeId: '0-1',
        associationTypeId: 202,
        associationCategory: 'HUBSPOT_DEFINED',
        associationRemoved: false,
      },
      // A company associated with a contact, legacy form.
      {
        ...envelope('contact.associationChange'),
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: Number(companyContact),
        toObjectId: 5_600_001,
        associationRemoved: false,
        isPrimaryAssociation: true,
      },
      // A company associated with a deal: nothing of ours.
      {
        ...envelope('object.associationChange'),
        fromObjectId: 5_600_001,
        fromObjectTypeId: '0-2',
        toObjectId: 5_700_001,
        toObjectTypeId: '0-3',
        associationTypeId: 342,
        associationCategory: 'HUBSPOT_DEFINED',
        associationRemoved: false,
      },
      mergeEvent(primary!, merged!, 3),
      { ...envelope('contact.privacyDeletion'), objectId: Number(erased) },
      // What we cannot read: a merge naming a negative id, an event without its object.
      {
        ...envelope('object.merge'),
        objectTypeId: '0-1',
        primaryObjectId: Number(primary),
        mergedObjectIds: [-1],
      },
      { ...envelope('object.creation'), objectTypeId: '0-1' },
      // A subscription type from the future: read, and not for us.
      { ...envelope('object.somethingNew'), objectId: 42, objectTypeId: '0-1', shiny: true },
    ];
    const response = await postSigned(batch);
    expect(response.status).toBe(204);

    await until('the contact with a new note to be rescored', async () => {
      const at = await scoredAt(noteContact!);
      return at !== null && at > before.note;
    });
    await until('the contact with a new company to be rescored', async () => {
      const at = await scoredAt(companyContact!);
      return at !== null && at > before.company;
    });
    await until(
      'the merged-away contact to be forgotten',
      async () => (await stack.runtime.scores.get(stack.portalId, merged!)) === null,
    );
    await until(
      'the erased contact to be gone',
      async () => (await stack.runtime.scores.get(stack.portalId, erased!)) === null,
    );
    const skipped = (await stack.runtime.metrics.webhookEvents.get()).values.find(
      (v) => v.labels.outcome === 'unreadable',
    );
    expect(skipped?.value).toBe(2);

    // Sync health tells the admin, in words, that events were skipped and why.
    const health = await stack.runtime.redis.hgetall(stack.runtime.keys.activity(stack.portalId));
    expect(health).toMatchObject({ skippedEvents: '2' });
    expect(health['lastSkipped']).toMatch(/object\.creation: objectId/);
  });

  it('a privacy deletion in HubSpot erases every record of the contact: score, facts, feedback, status log, schedules and jobs', async () => {
    const id = truthIds('icp_buyer')[0]!;
    expect(await stack.runtime.scores.get(stack.portalId, id)).not.toBeNull();
    const now = Date.now();
    // Give the contact everything we can hold about a person: a rep's decision with their
    // e-mail and note, a rescore request, a scheduled SLA check.
    await stack.runtime.feedback.add(stack.portalId, {
      id: 'erase-test-1',
      contactId: id,
      decision: 'rejected',
      reason: 'other',
      note: 'Spoke to them on the phone',
      by: { userId: 7000002, userEmail: 'ann@example.com' },
      at: now,
      modelVersion: 1,
      score: 80,
      grade: 'A',
      status: 'sql',
      rules: ['demo_request'],
    });
    await stack.runtime.scores.requestRescore(stack.portalId, id, now);
    await stack.runtime.producer.slaCheck(stack.portalId, id, now + 3_600_000, now);
    const stored = await whereStored(id);
    expect(stored.length, 'the contact is stored before the deletion').toBeGreaterThanOrEqual(4);

    // A person uses HubSpot's GDPR delete (the SDK's discovery has no GDPR API: a raw call).
    const purged = await person.apiRequest({
      method: 'POST',
      path: '/crm/v3/objects/contacts/gdpr-delete',
      body: { objectId: id },
    });
    expect(purged.status).toBe(204);
    await until(
      'nothing about the contact to remain',
      async () => (await whereStored(id)).length === 0,
      30_000,
      200,
    );
    expect(await stack.runtime.feedback.all(stack.portalId)).not.toContainEqual(
      expect.objectContaining({ contactId: id }),
    );
    // Each job's log lines say which portal and job they are about (its scope's logger).
    const erased = logLines.filter((l) => l['msg'] === 'contact erased (privacy deletion)');
    expect(erased.map((l) => l['pass'])).toEqual(expect.arrayContaining([1, 2]));
    for (const line of erased)
      expect(line).toMatchObject({
        portalId: stack.portalId,
        jobId: expect.stringMatching(/^erased-/),
        job: 'contact-erased',
      });
  });

  it('a batch HubSpot delivers again (a retry, a replay) is answered 204 and changes nothing more', async () => {
    const cold = truthIds('cold').slice(5);
    const [changed, deleted, erased, primary, merged] = cold;
    const batch = [
      {
        ...envelope('contact.propertyChange'),
        objectId: Number(changed),
        propertyName: 'jobtitle',
        propertyValue: 'VP Sales',
      },
      { ...envelope('contact.deletion'), objectId: Number(deleted) },
      { ...envelope('contact.privacyDeletion'), objectId: Number(erased) },
      mergeEvent(primary!, merged!, 1),
    ];
    const portal = stack.sandbox.state.portal(stack.portalId);
    /** What a delivery leaves: every contact's stored status and score and what HubSpot holds. */
    const state = async () => {
      const out: Record<string, unknown> = {};
      for (const id of stack.seeded!.truth.keys()) {
        const q = await stack.runtime.scores.get(stack.portalId, id);
        const p = portal.get('contacts', id)?.properties;
        out[id] = [
          q?.status ?? null,
          q?.score ?? null,
          p?.['lq_status'] ?? null,
          p?.['lq_score'] ?? null,
        ];
      }
      return out;
    };
    /** Delivered and done: its rescore ran (the pending set is empty again), its jobs ran. */
    const deliver = async () => {
      const before = (await scoredAt(changed!)) ?? 0;
      expect((await postSigned(batch)).status).toBe(204);
      await until(
        'the changed contact to be rescored',
        async () => ((await scoredAt(changed!)) ?? 0) > before,
      );
      await until('nothing left pending', async () => {
        const { redis, keys } = stack.runtime;
        const [pending, processing] = await Promise.all([
          redis.zcard(keys.pending(stack.portalId)),
          redis.zcard(keys.processing(stack.portalId)),
        ]);
        return pending === 0 && processing === 0;
      });
      await until('the deleted, erased and merged-away contacts gone', async () => {
        const qs = await Promise.all(
          [deleted, erased, merged].map((id) => stack.runtime.scores.get(stack.portalId, id!)),
        );
        return qs.every((q) => q === null);
      });
      // The erasure's second pass, a moment later.
      await new Promise((r) => setTimeout(r, 600));
    };
    await deliver();
    const once = await state();
    expect(await whereStored(erased!)).toEqual([]);
    await deliver();
    expect(await state()).toEqual(once);
    expect(await whereStored(erased!)).toEqual([]);
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { signV3 } from '../../src/sandbox/webhook-dispatcher';
import { testStack } from '../support/stack';
import { BACKEND_URL, backendFetch } from '../support/ui';

// Hostile and odd input, signed as HubSpot signs it: whatever arrives, the answer is a 2xx or a
// 4xx that says what is wrong — never a 5xx. (Thousands of cases; the contacts are few, so a
// rescore a valid event asks for is cheap.)

let stack: Stack;
beforeAll(async () => {
  stack = await testStack('fuzz', { contacts: 10 });
  await stack.install();
});
afterAll(() => stack.close());

const id = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.integer({ min: 1, max: 2 ** 53 }),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
);
const subscriptionType = fc.oneof(
  fc.constantFrom(
    'object.creation',
    'object.deletion',
    'object.merge',
    'object.restore',
    'object.propertyChange',
    'object.associationChange',
    'contact.privacyDeletion',
    'contact.associationChange',
    'contact.merge',
  ),
  fc.string({ maxLength: 20 }),
);
const event = fc.record(
  {
    eventId: id,
    subscriptionId: id,
    portalId: fc.oneof(id, fc.constant(0)),
    appId: id,
    occurredAt: id,
    subscriptionType,
    attemptNumber: id,
    objectId: id,
    objectTypeId: fc.constantFrom('0-1', '0-2', '0-46', '0-48', 'x', ''),
    propertyName: fc.constantFrom('jobtitle', 'lq_score', 'email', ''),
    propertyValue: fc.string({ maxLength: 10 }),
    primaryObjectId: id,
    mergedObjectIds: fc.oneof(fc.array(id, { maxLength: 3 }), id),
    newObjectId: id,
    fromObjectId: id,
    toObjectId: id,
    fromObjectTypeId: fc.constantFrom('0-1', '0-2', '0-46'),
    toObjectTypeId: fc.constantFrom('0-1', '0-2', '0-46'),
    associationType: fc.constantFrom('CONTACT_TO_COMPANY', 'COMPANY_TO_CONTACT', 'X'),
    associationRemoved: fc.oneof(fc.boolean(), id),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.array(event, { maxLength: 5 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
  fc.anything({ maxDepth: 2 }),
);

describe('no 5xx, whatever is sent', () => {
  it('webhooks: 2,000 signed random batches', async () => {
    const url = `${stack.appUrl}/webhooks/hubspot`;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 9, arbitrary: body.map((b) => JSON.stringify(b) ?? '') },
          { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
        ),
        async (payload) => {
          // The stack's own portal in most batches, so valid events do real work.
          const text = payload.replaceAll('"portalId":0', `"portalId":${stack.portalId}`);
          const timestamp = String(Date.now());
          const res = await fetch(url, {
            method: 'POST',
            body: text,
            headers: {
              'content-type': 'application/json',
              'x-hubspot-signature-v3': signV3(
                stack.app.clientSecret,
                'POST',
                url,
                text,
                timestamp,
              ),
              'x-hubspot-request-timestamp': timestamp,
            },
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, text).toBeLessThan(500);
        },
      ),
      { numRuns: 2_000 },
    );
    // Both answers occur: events read (204) and bodies refused (400).
    expect(statuses.get(204)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });

  it('OAuth callback: 1,000 random query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('code', 'state', 'error', 'error_description', 'x'),
          fc.string({ maxLength: 12 }),
        ),
        async (query) => {
          const res = await fetch(`${stack.appUrl}/oauth/callback?${new URLSearchParams(query)}`);
          await res.arrayBuffer();
          expect(res.status, JSON.stringify(query)).toBeLessThan(500);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('card and settings API: 1,500 signed random calls', async () => {
    const user = backendFetch(stack, { userId: 5, userEmail: 'fuzz@example.com' });
    const contact = fc.oneof(
      fc.constantFrom('1', '0', '-1', 'abc', '99999999999999999999999'),
      fc.nat().map(String),
    );
    const path = fc.oneof(
      contact.map((c) => `/api/card/contacts/${encodeURIComponent(c)}`),
      contact.map((c) => `/api/card/contacts/${encodeURIComponent(c)}/feedback`),
      contact.map((c) => `/api/card/contacts/${encodeURIComponent(c)}/rescore`),
      fc.constantFrom(
        '/api/settings/model',
        '/api/settings/draft',
        '/api/settings/previews',
        '/api/settings/previews/not-a-uuid',
        '/api/settings/publish',
        '/api/settings/rollback',
        '/api/settings/trainings',
        '/api/settings/health',
        '/api/settings/funnel',
        '/api/settings/feedback',
        '/api/settings/drift-checks',
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        path,
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE') as fc.Arbitrary<
          'GET' | 'POST' | 'PUT' | 'DELETE'
        >,
        fc.option(
          fc.dictionary(
            fc.constantFrom('model', 'baseVersion', 'note', 'decision', 'reason', 'version', 'x'),
            fc.anything({ maxDepth: 2 }),
          ),
          { nil: undefined },
        ),
        async (p, method, payload) => {
          const res = await user(`${BACKEND_URL}${p}`, {
            method,
            ...(payload && method !== 'GET' ? { body: payload } : {}),
          });
          await res.arrayBuffer();
          expect(res.status, `${method} ${p} ${JSON.stringify(payload)}`).toBeLessThan(500);
        },
      ),
      { numRuns: 1_500 },
    );
  });
});

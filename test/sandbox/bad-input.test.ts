import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/create-sandbox';
import { admin, newPortal, raw, startSandbox } from '../support/sandbox';

let sandbox: Sandbox;
let token: string;
let portalId: number;

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ accessToken: token, portalId } = await newPortal(sandbox, { seed: 3, contacts: 50 }));
});
afterAll(() => sandbox.close());

const ENDPOINTS: Array<[string, string]> = [
  ['POST', '/crm/v3/objects/contacts'],
  ['PATCH', '/crm/v3/objects/contacts/1000010001'],
  ['POST', '/crm/v3/objects/contacts/batch/create'],
  ['POST', '/crm/v3/objects/contacts/batch/update'],
  ['POST', '/crm/v3/objects/contacts/batch/read'],
  ['POST', '/crm/v3/objects/contacts/search'],
  ['POST', '/crm/v3/objects/contacts/merge'],
  ['POST', '/crm/v3/properties/contacts'],
  ['POST', '/crm/v3/properties/contacts/batch/create'],
  ['POST', '/crm/v3/properties/contacts/groups'],
  ['POST', '/crm/v4/associations/contacts/companies/batch/read'],
  ['POST', '/crm/v4/associations/contacts/companies/batch/associate/default'],
  ['PUT', '/crm/v4/objects/contacts/1000010001/associations/companies/1000010002'],
  ['POST', '/crm/v3/objects/widgets/search'],
  ['POST', '/_sandbox/apps'],
  ['POST', '/_sandbox/faults'],
  ['POST', '/_sandbox/portals/1/seed'],
];

/** A fingerprint of everything a portal holds. */
async function snapshot(): Promise<string> {
  const portal = sandbox.state.portal(portalId);
  const objects = (['contacts', 'companies', 'deals', 'notes'] as const).map((t) =>
    [...portal.all(t)].map((o) => JSON.stringify(o.properties)).join('|'),
  );
  return JSON.stringify([
    objects,
    portal.propertyDefs('contacts').length,
    portal.groups('contacts').length,
  ]);
}

describe('bad input to the sandbox', () => {
  it('gets a HubSpot 4xx error, never a 5xx or a crash, and changes nothing stored', async () => {
    const before = await snapshot();
    const bodies = fc.oneof(
      fc.json().map((j) => j),
      fc.string(),
      fc.constantFrom(
        '{',
        '[1,2',
        'null',
        '"x"',
        '{"inputs": "all"}',
        '{"inputs": [null, 1, "a"]}',
        '{"properties": {"lifecyclestage": {"nested": true}}}',
        '{"filterGroups": [{"filters": [{}]}]}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), bodies, async ([method, path], body) => {
        const res = await raw(sandbox, token, method, path, body);
        expect(res.status, `${method} ${path} ${body}`).toBeGreaterThanOrEqual(200);
        expect(res.status, `${method} ${path} ${body}`).toBeLessThan(500);
        if (res.status >= 400)
          expect(res.json).toMatchObject({
            status: expect.any(String),
            message: expect.any(String),
          });
      }),
      { numRuns: 300 },
    );
    // Anything accepted was a valid write of its own; the seeded data itself is untouched in shape.
    const after = await snapshot();
    expect(after.length).toBeGreaterThan(0);
    expect(JSON.parse(after)[1]).toBeGreaterThanOrEqual(JSON.parse(before)[1]);
  });

  it('keeps a portal whole when a batch has one bad item', async () => {
    const before = await snapshot();
    const res = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [
        ...sandbox.state
          .portal(portalId)
          .page('contacts', 2, undefined)
          .items.map((c) => ({ id: c.id, properties: { jobtitle: 'Changed' } })),
        { id: 'x', properties: { hs_email_optout: 'perhaps' } },
      ],
    });
    expect(res.status).toBe(400);
    expect(await snapshot()).toBe(before);
    expect((await admin(sandbox, 'GET', '/_sandbox/stats')).status).toBe(200);
  });
});

import type { Client } from '@hubspot/api-client';
import type { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/create-sandbox';
import { expectRoundTrip, newPortal, raw, startSandbox } from '../support/sandbox';

let sandbox: Sandbox;
let client: Client;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  const portal = await newPortal(sandbox);
  client = portal.client;
  token = portal.accessToken;
});
afterAll(() => sandbox.close());

const apiError = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as { code: number; body: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
};

describe('CRM v3 objects, through @hubspot/api-client', () => {
  it('creates, reads, updates and archives a contact, with HubSpot-shaped bodies', async () => {
    const created = await client.crm.contacts.basicApi.create({
      properties: { email: 'ana@acme.io', jobtitle: 'VP Sales', hs_analytics_num_page_views: '12' },
      associations: [],
    });
    expect(created.properties).toMatchObject({
      email: 'ana@acme.io',
      jobtitle: 'VP Sales',
      hs_object_id: created.id,
    });
    expect(created.createdAt).toBeInstanceOf(Date);

    const got = await client.crm.contacts.basicApi.getById(created.id, [
      'email',
      'lifecyclestage',
      'not_a_property',
    ]);
    // A requested property with no value is null; an unknown one is left out.
    expect(got.properties).toMatchObject({ email: 'ana@acme.io', lifecyclestage: null });
    expect(got.properties).not.toHaveProperty('not_a_property');

    const updated = await client.crm.contacts.basicApi.update(created.id, {
      properties: { jobtitle: 'CRO', hs_email_optout: 'TRUE' },
    });
    expect(updated.properties).toMatchObject({ jobtitle: 'CRO', hs_email_optout: 'true' });

    const rawGet = await raw(
      sandbox,
      token,
      'GET',
      `/crm/v3/objects/contacts/${created.id}?properties=email,jobtitle`,
    );
    expect(rawGet.status).toBe(200);
    expectRoundTrip('objects', 'SimplePublicObjectWithAssociations', rawGet.json);

    await client.crm.contacts.basicApi.archive(created.id);
    expect((await apiError(client.crm.contacts.basicApi.getById(created.id))).code).toBe(404);
    const archived = await client.crm.contacts.basicApi.getById(
      created.id,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(archived.archived).toBe(true);
  });

  it('pages a list with `after`, and leaves paging out on the last page', async () => {
    await client.crm.companies.batchApi.create({
      inputs: Array.from({ length: 25 }, (_, i) => ({
        properties: { name: `Co ${i}`, domain: `co${i}.io` },
        associations: [],
      })),
    });
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await client.crm.companies.basicApi.getPage(10, after, ['name']);
      seen.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const last = await raw(
      sandbox,
      token,
      'GET',
      `/crm/v3/objects/companies?limit=10&after=${seen[20]}`,
    );
    expect(last.json).not.toHaveProperty('paging');
    expectRoundTrip(
      'objects',
      'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging',
      last.json,
    );
  });

  it('batch reads with 207 for missing ids, batch updates, and refuses duplicates and over-size batches', async () => {
    const made = await client.crm.contacts.batchApi.create({
      inputs: [1, 2, 3].map((i) => ({ properties: { email: `b${i}@acme.io` }, associations: [] })),
    });
    const ids = made.results.map((r) => r.id);
    const read = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [...ids, '999'].map((id) => ({ id })),
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(read.status).toBe(207);
    expect(read.json).toMatchObject({
      status: 'COMPLETE',
      numErrors: 1,
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['999'] } }],
    });
    expectRoundTrip('objects', 'BatchResponseSimplePublicObjectWithErrors', read.json);

    const ok = await client.crm.contacts.batchApi.read({
      inputs: ids.map((id) => ({ id })),
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expect(ok.results.map((r) => r.properties['email']).sort()).toEqual([
      'b1@acme.io',
      'b2@acme.io',
      'b3@acme.io',
    ]);

    const upd = await client.crm.contacts.batchApi.update({
      inputs: ids.map((id) => ({ id, properties: { jobtitle: 'Director' } })),
    });
    expect(upd.results.every((r) => r.properties['jobtitle'] === 'Director')).toBe(true);

    const dupes = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/batch/update', {
      inputs: [
        { id: ids[0], properties: {} },
        { id: ids[0], properties: {} },
      ],
    });
    expect(dupes.status).toBe(400);
    expect(dupes.json?.['message']).toMatch(/Duplicate IDs/);

    const big = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })),
      properties: [],
    });
    expect(big.status).toBe(400);
  });

  it('batch reads property histories, newest first, 50 contacts at most', async () => {
    const made = await client.crm.contacts.basicApi.create({
      properties: {
        email: 'forms@acme.io',
        recent_conversion_event_name: 'Ebook: The lead scoring playbook',
      },
      associations: [],
    });
    for (const name of ['Demo request form', 'Newsletter signup'])
      await client.crm.contacts.basicApi.update(made.id, {
        properties: { recent_conversion_event_name: name },
      });
    const read = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: [{ id: made.id }],
      properties: [],
      propertiesWithHistory: ['recent_conversion_event_name', 'jobtitle'],
    });
    expect(read.status).toBe(200);
    expectRoundTrip('objects', 'BatchResponseSimplePublicObject', read.json);
    const [result] = (
      await client.crm.contacts.batchApi.read({
        inputs: [{ id: made.id }],
        properties: [],
        propertiesWithHistory: ['recent_conversion_event_name', 'jobtitle'],
      })
    ).results;
    const history = result!.propertiesWithHistory!;
    expect(history['recent_conversion_event_name']!.map((v) => v.value)).toEqual([
      'Newsletter signup',
      'Demo request form',
      'Ebook: The lead scoring playbook',
    ]);
    expect(history['recent_conversion_event_name']![0]!.timestamp).toBeInstanceOf(Date);
    expect(history['recent_conversion_event_name']![0]!.sourceType).toMatch(/^[A-Z_]+$/);
    // A property that never had a value has an empty history.
    expect(history['jobtitle']).toEqual([]);

    const tooMany = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/batch/read', {
      inputs: Array.from({ length: 51 }, (_, i) => ({ id: String(i + 1) })),
      properties: [],
      propertiesWithHistory: ['recent_conversion_event_name'],
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json?.['message']).toMatch(
      /maximum number of inputs supported in a batch request for property histories is 50/,
    );
  });

  it('refuses invalid values with HubSpot 400 body, and stores nothing of the batch', async () => {
    const before = await client.crm.contacts.basicApi.getPage(100);
    const bad = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/batch/create', {
      inputs: [
        { properties: { email: 'fine@acme.io' } },
        { properties: { lifecyclestage: 'hot', hs_analytics_num_page_views: 'many' } },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(String(bad.json?.['message'])).toMatch(
      /^Property values were not valid: \[.*INVALID_OPTION.*INVALID_INTEGER/,
    );
    expectRoundTrip('objects', 'ModelError', bad.json, ['status']);
    const after = await client.crm.contacts.basicApi.getPage(100);
    expect(after.results.length).toBe(before.results.length);

    const malformed = await raw(
      sandbox,
      token,
      'POST',
      '/crm/v3/objects/contacts',
      '{"properties": {"email": ',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ category: 'VALIDATION_ERROR' });
  });

  it('answers 401 without a valid token, and 409 for a duplicate contact e-mail', async () => {
    expect((await raw(sandbox, null, 'GET', '/crm/v3/objects/contacts')).json).toMatchObject({
      category: 'INVALID_AUTHENTICATION',
    });
    expect((await raw(sandbox, 'nope', 'GET', '/crm/v3/objects/contacts')).status).toBe(401);
    await client.crm.contacts.basicApi.create({
      properties: { email: 'dup@acme.io' },
      associations: [],
    });
    const dup = await apiError(
      client.crm.contacts.basicApi.create({
        properties: { email: 'DUP@acme.io' },
        associations: [],
      }),
    );
    expect(dup.code).toBe(409);
    expect(dup.body['message']).toMatch(/Contact already exists. Existing ID: \d+/);
  });

  it('ignores a backward lifecycle stage set, and takes it after the stage is cleared', async () => {
    const c = await client.crm.contacts.basicApi.create({
      properties: { email: 'stage@acme.io', lifecyclestage: 'salesqualifiedlead' },
      associations: [],
    });
    const back = await client.crm.contacts.basicApi.update(c.id, {
      properties: { lifecyclestage: 'lead' },
    });
    expect(
      (await client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage'])).properties[
        'lifecyclestage'
      ],
    ).toBe('salesqualifiedlead');
    expect(back.id).toBe(c.id);
    await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: '' } });
    await client.crm.contacts.basicApi.update(c.id, { properties: { lifecyclestage: 'lead' } });
    expect(
      (await client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage'])).properties[
        'lifecyclestage'
      ],
    ).toBe('lead');
  });

  it('makes the contacts of a deal closed won customers', async () => {
    const c = await client.crm.contacts.basicApi.create({
      properties: { email: 'buyer@acme.io', lifecyclestage: 'opportunity' },
      associations: [],
    });
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: 'Acme', dealstage: 'contractsent', pipeline: 'default' },
      associations: [
        {
          to: { id: c.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 3 }],
        },
      ],
    });
    await client.crm.deals.basicApi.update(deal.id, { properties: { dealstage: 'closedwon' } });
    expect(
      (await client.crm.contacts.basicApi.getById(c.id, ['lifecyclestage'])).properties[
        'lifecyclestage'
      ],
    ).toBe('customer');
  });

  it('merges two contacts: blanks filled from the merged one, which is archived', async () => {
    const a = await client.crm.contacts.basicApi.create({
      properties: { email: 'keep@acme.io' },
      associations: [],
    });
    const b = await client.crm.contacts.basicApi.create({
      properties: { email: 'gone@acme.io', jobtitle: 'VP' },
      associations: [],
    });
    await client.crm.contacts.basicApi.merge({ primaryObjectId: a.id, objectIdToMerge: b.id });
    expect(
      (await client.crm.contacts.basicApi.getById(a.id, ['jobtitle', 'email'])).properties,
    ).toMatchObject({ email: 'keep@acme.io', jobtitle: 'VP' });
    expect((await apiError(client.crm.contacts.basicApi.getById(b.id))).code).toBe(404);
  });

  it('serves engagement objects with their own properties', async () => {
    const call = await client.crm.objects.calls.basicApi.create({
      properties: {
        hs_timestamp: '2026-01-30T10:00:00Z',
        hs_call_duration: '120000',
        hs_call_direction: 'OUTBOUND',
      },
      associations: [],
    });
    expect(call.properties).toMatchObject({
      hs_timestamp: '2026-01-30T10:00:00.000Z',
      hs_call_duration: '120000',
    });
    const meeting = await client.crm.objects.meetings.basicApi.create({
      properties: { hs_timestamp: '1769767200000', hs_meeting_outcome: 'COMPLETED' },
      associations: [],
    });
    expect(meeting.properties['hs_timestamp']).toBe('2026-01-30T10:00:00.000Z');
    const bad = await apiError(
      client.crm.objects.meetings.basicApi.create({
        properties: { hs_meeting_outcome: 'DONE' },
        associations: [],
      }),
    );
    expect(bad.code).toBe(400);
  });
});

describe('CRM search', () => {
  let ids: string[] = [];
  beforeAll(async () => {
    const made = await client.crm.contacts.batchApi.create({
      inputs: Array.from({ length: 30 }, (_, i) => ({
        properties: {
          email: `s${i}@${i % 3 === 0 ? 'gmail.com' : 'acme.io'}`,
          hs_analytics_num_page_views: String(i),
          lifecyclestage: i % 2 ? 'lead' : 'marketingqualifiedlead',
          recent_conversion_date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
          ...(i % 5 === 0 ? { jobtitle: 'VP Sales' } : {}),
        },
        associations: [],
      })),
    });
    ids = made.results.map((r) => r.id);
  });

  const search = (filters: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) =>
    client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: filters as never }],
      properties: ['email'],
      limit: 200,
      after: '0',
      sorts: [],
      ...extra,
    } as never);
  const op = (o: string) => o as unknown as FilterOperatorEnum;

  it.each([
    [[{ propertyName: 'hs_analytics_num_page_views', operator: op('GTE'), value: '25' }], 5],
    [
      [
        {
          propertyName: 'hs_analytics_num_page_views',
          operator: op('BETWEEN'),
          value: '10',
          highValue: '14',
        },
      ],
      5,
    ],
    [
      [
        { propertyName: 'lifecyclestage', operator: op('EQ'), value: 'lead' },
        { propertyName: 'hs_analytics_num_page_views', operator: op('LT'), value: '10' },
      ],
      5,
    ],
    [[{ propertyName: 'lifecyclestage', operator: op('IN'), values: ['lead', 'customer'] }], 15],
    [[{ propertyName: 'jobtitle', operator: op('HAS_PROPERTY') }], 6],
    [[{ propertyName: 'email', operator: op('CONTAINS_TOKEN'), value: '*@gmail.com' }], 10],
    [
      [
        {
          propertyName: 'recent_conversion_date',
          operator: op('GT'),
          value: String(Date.UTC(2026, 0, 25)),
        },
      ],
      5,
    ],
  ])('filters %j to %i contacts', async (filters, count) => {
    const res = await search(filters.map((f) => ({ ...f })));
    const mine = res.results.filter((r) => ids.includes(r.id));
    expect(mine.length).toBe(count);
  });

  it('returns total, sorts, and pages with after', async () => {
    const filters = [
      { propertyName: 'email', operator: op('CONTAINS_TOKEN'), value: '*@acme.io' },
      { propertyName: 'hs_analytics_num_page_views', operator: op('HAS_PROPERTY') },
    ];
    const first = await search(filters, {
      limit: 7,
      sorts: ['-hs_analytics_num_page_views'],
      properties: ['hs_analytics_num_page_views'],
    });
    expect(first.total).toBe(20);
    expect(first.results.map((r) => Number(r.properties['hs_analytics_num_page_views']))).toEqual([
      29, 28, 26, 25, 23, 22, 20,
    ]);
    expect(first.paging?.next?.after).toBe('7');
    const rawPage = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/search', {
      filterGroups: [{ filters }],
      limit: 7,
      after: '14',
      sorts: [{ propertyName: 'hs_analytics_num_page_views', direction: 'DESCENDING' }],
    });
    expect(rawPage.json).not.toHaveProperty('paging');
    expectRoundTrip(
      'objects',
      'CollectionResponseWithTotalSimplePublicObjectForwardPaging',
      rawPage.json,
    );
  });

  it('refuses what HubSpot refuses: over 200 per page, past 10,000 results, too many filters', async () => {
    expect(
      (await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/search', { limit: 201 })).status,
    ).toBe(400);
    const deep = await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/search', {
      limit: 100,
      after: '9950',
    });
    expect(deep.status).toBe(400);
    expect(String(deep.json?.['message'])).toMatch(/10000 results/);
    const groups = Array.from({ length: 6 }, () => ({
      filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }],
    }));
    expect(
      (
        await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/search', {
          filterGroups: groups,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await raw(sandbox, token, 'POST', '/crm/v3/objects/contacts/search', {
          filterGroups: [{ filters: [{ propertyName: 'email', operator: 'LIKE' }] }],
        })
      ).status,
    ).toBe(400);
  });
});

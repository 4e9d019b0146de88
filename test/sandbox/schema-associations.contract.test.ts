import type { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/create-sandbox';
import { expectRoundTrip, newPortal, raw, startSandbox } from '../support/sandbox';

let sandbox: Sandbox;
let client: Client;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  ({ client, accessToken: token } = await newPortal(sandbox));
});
afterAll(() => sandbox.close());

describe('properties and property groups', () => {
  it('lists HubSpot standard properties with their types and options', async () => {
    const all = await client.crm.properties.coreApi.getAll('contacts');
    const stage = all.results.find((p) => p.name === 'lifecyclestage')!;
    expect(stage.type).toBe('enumeration');
    expect(stage.options.map((o) => o.value)).toEqual([
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ]);
    const rawList = await raw(sandbox, token, 'GET', '/crm/v3/properties/contacts');
    expectRoundTrip('properties', 'CollectionResponsePropertyNoPaging', rawList.json);
    const one = await raw(sandbox, token, 'GET', '/crm/v3/properties/contacts/hs_email_optout');
    expectRoundTrip('properties', 'Property', one.json);
    expect((await raw(sandbox, token, 'GET', '/crm/v3/properties/contacts/nope')).status).toBe(404);
  });

  it('creates a group and properties; a second create conflicts; bad definitions are refused', async () => {
    const group = await client.crm.properties.groupsApi.create('contacts', {
      name: 'lead_qualifier',
      label: 'Lead Qualifier',
      displayOrder: -1,
    });
    expect(group.name).toBe('lead_qualifier');
    const dupGroup = await raw(sandbox, token, 'POST', '/crm/v3/properties/contacts/groups', {
      name: 'lead_qualifier',
      label: 'again',
    });
    expect(dupGroup.status).toBe(409);

    const batch = await raw(sandbox, token, 'POST', '/crm/v3/properties/contacts/batch/create', {
      inputs: [
        {
          name: 'lq_score',
          label: 'Lead score',
          type: 'number',
          fieldType: 'number',
          groupName: 'lead_qualifier',
        },
        {
          name: 'lq_status',
          label: 'Status',
          type: 'enumeration',
          fieldType: 'select',
          groupName: 'lead_qualifier',
          options: [
            { label: 'Lead', value: 'lead' },
            { label: 'MQL', value: 'mql' },
          ],
        },
      ],
    });
    expect(batch.status).toBe(201);
    expectRoundTrip('properties', 'BatchResponseProperty', batch.json);
    const again = await raw(sandbox, token, 'POST', '/crm/v3/properties/contacts/batch/create', {
      inputs: [
        {
          name: 'lq_score',
          label: 'Lead score',
          type: 'number',
          fieldType: 'number',
          groupName: 'lead_qualifier',
        },
      ],
    });
    expect(again.status).toBe(207);
    expectRoundTrip('properties', 'BatchResponsePropertyWithErrors', again.json);

    for (const bad of [
      {
        name: 'Bad Name',
        label: 'x',
        type: 'string',
        fieldType: 'text',
        groupName: 'lead_qualifier',
      },
      {
        name: 'lq_x',
        label: 'x',
        type: 'number',
        fieldType: 'select',
        groupName: 'lead_qualifier',
      },
      {
        name: 'lq_y',
        label: 'y',
        type: 'enumeration',
        fieldType: 'select',
        groupName: 'lead_qualifier',
      },
      { name: 'lq_z', label: 'z', type: 'string', fieldType: 'text', groupName: 'no_such_group' },
    ]) {
      expect((await raw(sandbox, token, 'POST', '/crm/v3/properties/contacts', bad)).status).toBe(
        400,
      );
    }

    // The new properties take values of their type, and refuse others.
    const c = await client.crm.contacts.basicApi.create({
      properties: { email: 'p@acme.io', lq_score: '87', lq_status: 'mql' },
      associations: [],
    });
    expect(c.properties).toMatchObject({ lq_score: '87', lq_status: 'mql' });
    const wrong = await raw(sandbox, token, 'PATCH', `/crm/v3/objects/contacts/${c.id}`, {
      properties: { lq_status: 'hot' },
    });
    expect(wrong.status).toBe(400);
  });
});

describe('associations v4', () => {
  it('associates with default and labelled types, and batch-reads them with numeric ids and paging only when needed', async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'a@acme.io' },
      associations: [],
    });
    const company = await client.crm.companies.basicApi.create({
      properties: { name: 'Acme' },
      associations: [],
    });
    const lonely = await client.crm.contacts.basicApi.create({
      properties: { email: 'lonely@acme.io' },
      associations: [],
    });
    await client.crm.associations.v4.basicApi.create(
      'contacts',
      contact.id,
      'companies',
      company.id,
      [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 1 }],
    );
    const notes = await client.crm.objects.notes.batchApi.create({
      inputs: [1, 2].map((i) => ({
        properties: { hs_timestamp: `2026-01-2${i}T00:00:00Z`, hs_note_body: 'n' },
        associations: [],
      })),
    });
    await client.crm.associations.v4.batchApi.createDefault('notes', 'contacts', {
      inputs: notes.results.map((n) => ({ _from: { id: n.id }, to: { id: contact.id } })),
    });

    const read = await raw(
      sandbox,
      token,
      'POST',
      '/crm/v4/associations/contacts/companies/batch/read',
      { inputs: [{ id: contact.id }, { id: lonely.id }] },
    );
    expect(read.status).toBe(207);
    const result = (read.json!['results'] as Array<Record<string, unknown>>)[0]!;
    expect(result).toEqual({
      from: { id: contact.id },
      to: [
        {
          toObjectId: Number(company.id),
          associationTypes: [
            { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
            { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
          ],
        },
      ],
    });
    expect(read.json!['errors']).toEqual([
      expect.objectContaining({
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        context: { fromObjectId: [lonely.id] },
      }),
    ]);
    expectRoundTrip(
      'associations',
      'BatchResponsePublicAssociationMultiWithLabelWithErrors',
      read.json,
    );

    const viaSdk = await client.crm.associations.v4.batchApi.getPage('contacts', 'notes', {
      inputs: [{ id: contact.id }],
    });
    expect(viaSdk.results[0]!.to.map((t) => String(t.toObjectId)).sort()).toEqual(
      notes.results.map((n) => n.id).sort(),
    );
    expect(viaSdk.results[0]!.to[0]!.associationTypes[0]!.typeId).toBe(201);

    // The reverse direction exists too, with HubSpot's reverse type ids.
    const back = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', {
      inputs: [{ id: company.id }],
    });
    expect(back.results[0]!.to[0]!.associationTypes.map((t) => t.typeId).sort()).toEqual([2, 280]);

    // v3 reads show associations on the object.
    const withAssoc = await client.crm.contacts.basicApi.getById(contact.id, ['email'], undefined, [
      'companies',
      'notes',
    ]);
    expect(withAssoc.associations?.['companies']?.results.map((r) => r.type).sort()).toEqual([
      'contact_to_company',
      'contact_to_company_unlabeled',
    ]);
  });

  it('pages a contact with more than 500 associated engagements', async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'busy@acme.io' },
      associations: [],
    });
    for (let k = 0; k < 6; k++) {
      const batch = await client.crm.objects.emails.batchApi.create({
        inputs: Array.from({ length: 100 }, () => ({
          properties: { hs_timestamp: '2026-01-01T00:00:00Z' },
          associations: [
            {
              to: { id: contact.id },
              types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 198 }],
            },
          ],
        })),
      });
      expect(batch.results.length).toBe(100);
    }
    const first = await client.crm.associations.v4.batchApi.getPage('contacts', 'emails', {
      inputs: [{ id: contact.id }],
    });
    expect(first.results[0]!.to.length).toBe(500);
    const after = first.results[0]!.paging?.next?.after;
    expect(after).toBeDefined();
    const second = await client.crm.associations.v4.batchApi.getPage('contacts', 'emails', {
      inputs: [{ id: contact.id, after }],
    });
    expect(second.results[0]!.to.length).toBe(100);
    expect(second.results[0]!.paging).toBeUndefined();
  });

  it('refuses an association type that does not exist for the pair', async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: 'x@acme.io' },
      associations: [],
    });
    const company = await client.crm.companies.basicApi.create({
      properties: { name: 'X' },
      associations: [],
    });
    const res = await raw(
      sandbox,
      token,
      'PUT',
      `/crm/v4/objects/contacts/${contact.id}/associations/companies/${company.id}`,
      [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 999 }],
    );
    expect(res.status).toBe(400);
  });
});

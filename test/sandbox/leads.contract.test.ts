import type { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/create-sandbox';
import { admin, expectRoundTrip, newPortal, raw, startSandbox } from '../support/sandbox';

let sandbox: Sandbox;
let client: Client;
let token: string;
let portalId: number;
let contactId: string;
let seated: { id: string };
let unseated: { id: string };

beforeAll(async () => {
  sandbox = await startSandbox();
  const portal = await newPortal(sandbox);
  ({ client, accessToken: token, portalId } = portal);
  const owner = async (body: Record<string, unknown>) =>
    (await admin<{ id: string }>(sandbox, 'POST', `/_sandbox/portals/${portalId}/owners`, body))
      .json;
  seated = await owner({
    email: 'ann@example.com',
    firstName: 'Ann',
    lastName: 'Lee',
    teams: ['EMEA', 'Sales'],
    seats: ['Sales Hub Professional'],
  });
  unseated = await owner({ email: 'erin@example.com', firstName: 'Erin', lastName: 'Walsh' });
  contactId = (
    await client.crm.contacts.basicApi.create({
      properties: { email: 'jo@acme.io' },
      associations: [],
    })
  ).id;
});
afterAll(() => sandbox.close());

const toContact = (id: string) => [
  { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 578 }] },
];

describe('the Leads object, as the leads guide describes it', () => {
  it('creates a named lead with its contact, in the lead pipeline’s first stage', async () => {
    const created = await client.crm.objects.basicApi.create('leads', {
      properties: { hs_lead_name: 'Jo Park', hubspot_owner_id: seated.id, hs_lead_label: 'HOT' },
      associations: toContact(contactId) as never,
    });
    const got = await client.crm.objects.basicApi.getById('leads', created.id, [
      'hs_pipeline',
      'hs_pipeline_stage',
      'hs_primary_contact_id',
      'hubspot_owner_id',
    ]);
    expect(got.properties).toMatchObject({
      hs_pipeline: 'lead-pipeline-id',
      hs_pipeline_stage: 'new-stage-id',
      hs_primary_contact_id: contactId,
      hubspot_owner_id: seated.id,
    });
    const assoc = await client.crm.associations.v4.batchApi.getPage('contacts', 'leads', {
      inputs: [{ id: contactId }],
    });
    expect(assoc.results[0]!.to.map((t) => String(t.toObjectId))).toEqual([created.id]);
  });

  it('answers 400 for a lead with no name, no contact, or an owner without a seat', async () => {
    const create = (body: unknown) => raw(sandbox, token, 'POST', '/crm/v3/objects/leads', body);
    const noName = await create({ properties: {}, associations: toContact(contactId) });
    expect(noName.status).toBe(400);
    expect(noName.json!['message']).toMatch(/hs_lead_name/);
    const noContact = await create({ properties: { hs_lead_name: 'Jo' } });
    expect(noContact.status).toBe(400);
    expect(noContact.json!['message']).toMatch(/associated with an existing contact/);
    const unseatedOwner = await create({
      properties: { hs_lead_name: 'Jo', hubspot_owner_id: unseated.id },
      associations: toContact(contactId),
    });
    expect(unseatedOwner.status).toBe(400);
    expect(unseatedOwner.json).toMatchObject({
      category: 'VALIDATION_ERROR',
      errors: [{ context: { propertyName: ['hubspot_owner_id'] } }],
    });
    expect(unseatedOwner.json!['message']).toMatch(/users with a seat/);
    const noOwner = await create({
      properties: { hs_lead_name: 'Jo', hubspot_owner_id: '999' },
      associations: toContact(contactId),
    });
    expect(noOwner.status).toBe(400);
  });

  it('lists the lead pipeline’s stages in order', async () => {
    const res = await raw(sandbox, token, 'GET', '/crm/v3/pipelines/leads');
    expect(res.status).toBe(200);
    expectRoundTrip('pipelines', 'CollectionResponsePipelineNoPaging', res.json);
    const [pipeline] = (await client.crm.pipelines.pipelinesApi.getAll('leads')).results;
    expect(pipeline!.stages.map((s) => s.label)).toEqual([
      'New',
      'Attempting',
      'Connected',
      'Qualified',
      'Disqualified',
    ]);
  });
});

describe('owners, seats and availability', () => {
  it('lists owners with their teams, as the SDK reads them', async () => {
    const res = await raw(sandbox, token, 'GET', '/crm/v3/owners?limit=100');
    expect(res.status).toBe(200);
    expectRoundTrip('owners', 'CollectionResponsePublicOwnerForwardPaging', res.json);
    const page = await client.crm.owners.ownersApi.getPage(undefined, undefined, 100, false);
    expect(page.results.map((o) => o.email)).toEqual(['ann@example.com', 'erin@example.com']);
    expect(page.results[0]!.teams!.map((t) => [t.name, t.primary])).toEqual([
      ['EMEA', true],
      ['Sales', false],
    ]);
  });

  it("gives each user's seats (user provisioning 2026-09) and availability (users object)", async () => {
    const users = await raw(sandbox, token, 'GET', '/settings/users/2026-09');
    expect(users.json!['results']).toEqual([
      expect.objectContaining({ email: 'ann@example.com', seatNames: ['Sales Hub Professional'] }),
      expect.objectContaining({ email: 'erin@example.com', seatNames: [] }),
    ]);
    await admin(sandbox, 'PATCH', `/_sandbox/portals/${portalId}/owners/${seated.id}`, {
      availability: 'away',
    });
    const records = await client.crm.objects.basicApi.getPage('users', 10, undefined, [
      'hs_email',
      'hs_availability_status',
    ]);
    expect(
      records.results.map((u) => [
        u.properties['hs_email'],
        u.properties['hs_availability_status'],
      ]),
    ).toEqual([
      ['ann@example.com', 'away'],
      ['erin@example.com', 'available'],
    ]);
  });
});

describe('optional scopes', () => {
  it('grants the leads scopes only in a portal that has Leads', async () => {
    const { json: app } = await admin<{ clientId: string; clientSecret: string }>(
      sandbox,
      'POST',
      '/_sandbox/apps',
      {
        redirectUri: 'https://app.example.test/oauth/callback',
      },
    );
    const withoutLeads = await newPortal(sandbox);
    await admin(sandbox, 'POST', `/_sandbox/portals/${withoutLeads.portalId}/features`, {
      leads: false,
    });
    const grant = (id: number) => {
      const url = new URL(`${sandbox.url}/oauth/authorize`);
      url.searchParams.set('client_id', app.clientId);
      url.searchParams.set('redirect_uri', 'https://app.example.test/oauth/callback');
      url.searchParams.set('scope', 'oauth crm.objects.contacts.read');
      url.searchParams.set(
        'optional_scope',
        'crm.objects.leads.read crm.objects.leads.write crm.objects.owners.read',
      );
      url.searchParams.set('portalId', String(id));
      return url;
    };
    const codeFor = async (id: number) =>
      new URL(
        (await fetch(grant(id), { redirect: 'manual' })).headers.get('location')!,
      ).searchParams.get('code')!;
    // The 2026-03 token answer names the scopes granted.
    const scopes = async (code: string) => {
      const res = await fetch(`${sandbox.url}/oauth/2026-03/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: app.clientId,
          client_secret: app.clientSecret,
          redirect_uri: 'https://app.example.test/oauth/callback',
          code,
        }),
      });
      return ((await res.json()) as { scopes: string[] }).scopes;
    };
    expect(await scopes(await codeFor(portalId))).toEqual([
      'oauth',
      'crm.objects.contacts.read',
      'crm.objects.leads.read',
      'crm.objects.leads.write',
      'crm.objects.owners.read',
    ]);
    expect(await scopes(await codeFor(withoutLeads.portalId))).toEqual([
      'oauth',
      'crm.objects.contacts.read',
      'crm.objects.owners.read',
    ]);
  });
});

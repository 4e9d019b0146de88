import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Signature } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/create-sandbox';
import { admin, expectRoundTrip, newPortal, raw, startSandbox } from '../support/sandbox';

/** A webhook receiver on port 0 that records what arrives and answers with `status()`. */
async function receiver(status: (attempt: number) => number = () => 200) {
  const received: Array<{ body: string; headers: IncomingHttpHeaders; url: string }> = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, headers: req.headers, url: req.url ?? '' });
      res.statusCode = status(received.length);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/hubspot`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const REDIRECT = 'http://127.0.0.1:9/oauth/callback';
const SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'];

/** The OAuth install as a browser would do it: authorize, follow to the redirect with a code. */
async function authorize(sandbox: Sandbox, clientId: string, portalId: number, state = 'xyz') {
  const url = `${sandbox.url}/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=${encodeURIComponent(SCOPES.join(' '))}&state=${state}&portalId=${portalId}`;
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: new URL(res.headers.get('location') ?? 'http://none/') };
}

describe('OAuth', () => {
  let sandbox: Sandbox;
  let app: { appId: number; clientId: string; clientSecret: string };
  let portalId: number;
  beforeAll(async () => {
    sandbox = await startSandbox({ accessTokenTtlSeconds: 1800 });
    ({ portalId } = await newPortal(sandbox));
    app = (
      await admin<typeof app>(sandbox, 'POST', '/_sandbox/apps', {
        redirectUri: REDIRECT,
        scopes: SCOPES,
      })
    ).json;
  });
  afterAll(() => sandbox.close());

  it('installs: authorize redirects with a code and the state, the SDK exchanges it, the token works', async () => {
    const { status, location } = await authorize(sandbox, app.clientId, portalId);
    expect(status).toBe(302);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    const hubspot = new Client({ basePath: sandbox.url });
    const tokens = await hubspot.oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT,
      app.clientId,
      app.clientSecret,
    );
    expect(tokens.expiresIn).toBe(1800);
    expect(tokens.tokenType).toBe('bearer');

    const info = await hubspot.oauth.accessTokensApi.get(tokens.accessToken);
    expect(info).toMatchObject({ hubId: portalId, appId: app.appId, scopes: SCOPES });
    expectRoundTrip(
      'oauth',
      'AccessTokenInfoResponse',
      (await raw(sandbox, null, 'GET', `/oauth/v1/access-tokens/${tokens.accessToken}`)).json,
    );

    const asApp = new Client({ accessToken: tokens.accessToken, basePath: sandbox.url });
    expect((await asApp.crm.contacts.basicApi.getPage(1)).results).toEqual([]);
    // A scope the app was not granted is refused with HubSpot's 403.
    const forbidden = await raw(sandbox, tokens.accessToken, 'GET', '/crm/v3/objects/deals');
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toMatchObject({ category: 'MISSING_SCOPES' });

    // The code is single use.
    const reused = await raw(sandbox, null, 'POST', '/oauth/v1/token', undefined);
    expect(reused.status).toBe(400);
    const again = await fetch(`${sandbox.url}/oauth/v1/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ status: 'BAD_AUTH_CODE' });
  });

  it('refuses a wrong secret, a wrong redirect URI and an unknown client', async () => {
    const { location } = await authorize(sandbox, app.clientId, portalId);
    const code = location.searchParams.get('code')!;
    const post = (form: Record<string, string>, path = '/oauth/v3/token') =>
      fetch(`${sandbox.url}${path}`, { method: 'POST', body: new URLSearchParams(form) });
    const wrongSecret = await post({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      client_id: app.clientId,
      client_secret: 'not-the-secret',
    });
    // HubSpot's status and, on the versioned endpoints, RFC 6749's error pair.
    expect(await wrongSecret.json()).toMatchObject({
      status: 'BAD_CLIENT_SECRET',
      error: 'invalid_client',
      error_description: expect.any(String),
    });
    const wrongRedirect = await post({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9/elsewhere',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    expect(await wrongRedirect.json()).toMatchObject({
      status: 'BAD_REDIRECT_URI',
      error: 'invalid_grant',
    });
    const page = await fetch(
      `${sandbox.url}/oauth/authorize?client_id=nobody&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=oauth`,
      { redirect: 'manual' },
    );
    expect(page.status).toBe(400);
    const badUri = await fetch(
      `${sandbox.url}/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}&scope=oauth`,
      { redirect: 'manual' },
    );
    expect(badUri.status).toBe(400);
  });

  it('refreshes on the v1, v3 and 2026-03 endpoints; an expired access token gets 401 until refreshed', async () => {
    const { location } = await authorize(sandbox, app.clientId, portalId);
    const hubspot = new Client({ basePath: sandbox.url });
    const first = await hubspot.oauth.tokensApi.create(
      'authorization_code',
      location.searchParams.get('code')!,
      REDIRECT,
      app.clientId,
      app.clientSecret,
    );
    await admin(sandbox, 'POST', `/_sandbox/portals/${portalId}/expire-tokens`);
    const expired = await raw(sandbox, first.accessToken, 'GET', '/crm/v3/objects/contacts');
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ category: 'EXPIRED_AUTHENTICATION' });
    /** A form POST with the app's client credentials, as every token endpoint takes them. */
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        body: new URLSearchParams({
          ...form,
          client_id: app.clientId,
          client_secret: app.clientSecret,
        }),
      });
    const refresh = { grant_type: 'refresh_token', refresh_token: first.refreshToken };
    for (const path of ['/oauth/v1/token', '/oauth/v3/token', '/oauth/2026-03/token']) {
      const res = await post(path, refresh);
      const body = (await res.json()) as Record<string, unknown>;
      expect(res.status).toBe(200);
      if (path === '/oauth/v1/token') expectRoundTrip('oauth', 'TokenResponseIF', body);
      // The versioned endpoints' AccessTokenResponse names the account and the scopes.
      else
        expect(body).toMatchObject({
          token_use: 'access_token',
          hub_id: portalId,
          scopes: expect.arrayContaining(['oauth']),
          expires_in: expect.any(Number),
        });
      expect(body['refresh_token']).toBe(first.refreshToken);
      expect(
        (await raw(sandbox, String(body['access_token']), 'GET', '/crm/v3/objects/contacts'))
          .status,
      ).toBe(200);
    }
    const introspect = await post('/oauth/2026-03/token/introspect', { token: first.refreshToken });
    expect(await introspect.json()).toMatchObject({
      active: true,
      hub_id: portalId,
      token_use: 'refresh_token',
      scopes: expect.arrayContaining(['oauth']),
    });
    const revoke = await post('/oauth/2026-03/token/revoke', {
      token: first.refreshToken,
      token_type_hint: 'refresh_token',
    });
    expect(revoke.status).toBe(200);
    const refused = await post('/oauth/2026-03/token', refresh);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('uninstalls when the refresh token is deleted or the app uninstalls itself: every token stops working', async () => {
    const hubspot = new Client({ basePath: sandbox.url });
    const install = async () =>
      hubspot.oauth.tokensApi.create(
        'authorization_code',
        (await authorize(sandbox, app.clientId, portalId)).location.searchParams.get('code')!,
        REDIRECT,
        app.clientId,
        app.clientSecret,
      );
    const a = await install();
    expectRoundTrip(
      'oauth',
      'RefreshTokenInfoResponse',
      (await raw(sandbox, null, 'GET', `/oauth/v1/refresh-tokens/${a.refreshToken}`)).json,
    );
    await hubspot.oauth.refreshTokensApi.archive(a.refreshToken);
    expect((await raw(sandbox, a.accessToken, 'GET', '/crm/v3/objects/contacts')).status).toBe(401);
    const refresh = await fetch(`${sandbox.url}/oauth/v1/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: a.refreshToken,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      }),
    });
    expect(await refresh.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });

    const b = await install();
    expect(
      (await raw(sandbox, b.accessToken, 'DELETE', '/appinstalls/2026-03/external-install')).status,
    ).toBe(204);
    expect((await raw(sandbox, b.accessToken, 'GET', '/crm/v3/objects/contacts')).status).toBe(401);
  });
});

describe('webhooks', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({
      delivery: { batchWindowMs: 20, retryBaseMs: 30, maxAttempts: 4, timeoutMs: 2000 },
    });
  });
  afterAll(() => sandbox.close());

  async function installedApp(target: string, subscriptions: unknown) {
    const { portalId, accessToken, client } = await newPortal(sandbox);
    const app = (
      await admin<{ appId: number; clientId: string; clientSecret: string }>(
        sandbox,
        'POST',
        '/_sandbox/apps',
        {
          redirectUri: REDIRECT,
          scopes: SCOPES,
          webhooks: { settings: { targetUrl: target, maxConcurrentRequests: 2 }, subscriptions },
        },
      )
    ).json;
    const code = (await authorize(sandbox, app.clientId, portalId)).location.searchParams.get(
      'code',
    )!;
    const tokens = await new Client({ basePath: sandbox.url }).oauth.tokensApi.create(
      'authorization_code',
      code,
      REDIRECT,
      app.clientId,
      app.clientSecret,
    );
    return {
      app,
      portalId,
      person: client,
      personToken: accessToken,
      asApp: new Client({ accessToken: tokens.accessToken, basePath: sandbox.url }),
    };
  }

  it('posts signed batches that the SDK verifies, with HubSpot event fields and who made the change', async () => {
    const hook = await receiver();
    const { app, portalId, person, asApp } = await installedApp(hook.url, {
      crmObjects: [
        { subscriptionType: 'object.creation', objectType: 'contact', active: true },
        {
          subscriptionType: 'object.propertyChange',
          objectType: 'contact',
          propertyName: 'jobtitle',
          active: true,
        },
        { subscriptionType: 'object.creation', objectType: 'meeting_event', active: true },
        { subscriptionType: 'object.associationChange', objectType: 'contact', active: true },
      ],
    });
    const c = await person.crm.contacts.basicApi.create({
      properties: { email: 'hook@acme.io' },
      associations: [],
    });
    await person.crm.contacts.basicApi.update(c.id, {
      properties: { jobtitle: 'VP Sales', firstname: 'Not watched' },
    });
    await asApp.crm.contacts.basicApi.update(c.id, { properties: { jobtitle: 'CRO' } });
    await person.crm.objects.meetings.basicApi.create({
      properties: { hs_timestamp: '2026-01-30T10:00:00Z', hs_meeting_outcome: 'SCHEDULED' },
      associations: [
        {
          to: { id: c.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 200 }],
        },
      ],
    });
    await admin(sandbox, 'POST', '/_sandbox/webhooks/drain');

    expect(hook.received.length).toBeGreaterThan(0);
    const events = hook.received.flatMap(
      (r) => JSON.parse(r.body) as Array<Record<string, unknown>>,
    );
    for (const r of hook.received) {
      const valid = Signature.isValid({
        signatureVersion: 'v3',
        signature: String(r.headers['x-hubspot-signature-v3']),
        clientSecret: app.clientSecret,
        requestBody: r.body,
        url: hook.url,
        method: 'POST',
        timestamp: Number(r.headers['x-hubspot-request-timestamp']),
      });
      expect(valid).toBe(true);
      expect(JSON.parse(r.body).length).toBeLessThanOrEqual(100);
    }
    expect(
      events.find(
        (e) => e['subscriptionType'] === 'object.creation' && e['objectTypeId'] === '0-1',
      ),
    ).toMatchObject({
      objectId: Number(c.id),
      portalId,
      appId: app.appId,
      attemptNumber: 0,
      changeSource: 'CRM_UI',
      changeFlag: 'CREATED',
    });
    const titleChanges = events.filter((e) => e['propertyName'] === 'jobtitle');
    expect(titleChanges.map((e) => [e['propertyValue'], e['changeSource'], e['sourceId']])).toEqual(
      [
        ['VP Sales', 'CRM_UI', 'userId:7000002'],
        ['CRO', 'INTEGRATION', String(app.appId)],
      ],
    );
    expect(events.some((e) => e['propertyName'] === 'firstname')).toBe(false);
    expect(events.find((e) => e['objectTypeId'] === '0-47')).toMatchObject({
      subscriptionType: 'object.creation',
    });
    // Generic association changes name both sides and carry no objectId
    // (https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions).
    const association = events.find((e) => e['subscriptionType'] === 'object.associationChange');
    expect(association).toMatchObject({
      fromObjectId: Number(c.id),
      fromObjectTypeId: '0-1',
      toObjectTypeId: '0-47',
      associationTypeId: expect.any(Number),
      associationCategory: 'HUBSPOT_DEFINED',
      associationRemoved: false,
    });
    expect(association).not.toHaveProperty('objectId');
    await hook.close();
  });

  it('retries a failed delivery with a higher attemptNumber, and counts it', async () => {
    const hook = await receiver((n) => (n <= 2 ? 503 : 200));
    const { person } = await installedApp(hook.url, [
      { subscriptionType: 'object.creation', objectType: 'contact', active: true },
    ]);
    const before = (
      await admin<{ webhooks: { retries: number } }>(sandbox, 'GET', '/_sandbox/stats')
    ).json.webhooks.retries;
    await person.crm.contacts.basicApi.create({
      properties: { email: 'retry@acme.io' },
      associations: [],
    });
    await admin(sandbox, 'POST', '/_sandbox/webhooks/drain');
    const attempts = hook.received.map(
      (r) => (JSON.parse(r.body) as Array<{ attemptNumber: number }>)[0]!.attemptNumber,
    );
    expect(attempts).toEqual([0, 1, 2]);
    const stats = (
      await admin<{ webhooks: { retries: number } }>(sandbox, 'GET', '/_sandbox/stats')
    ).json;
    expect(stats.webhooks.retries - before).toBe(2);
    await hook.close();
  });

  it('an app that is not installed in a portal gets nothing from it', async () => {
    const hook = await receiver();
    await admin(sandbox, 'POST', '/_sandbox/apps', {
      redirectUri: REDIRECT,
      webhooks: {
        targetUrl: hook.url,
        subscriptions: [{ subscriptionType: 'object.creation', objectType: 'contact' }],
      },
    });
    const { client } = await newPortal(sandbox);
    await client.crm.contacts.basicApi.create({
      properties: { email: 'quiet@acme.io' },
      associations: [],
    });
    await admin(sandbox, 'POST', '/_sandbox/webhooks/drain');
    expect(hook.received).toEqual([]);
    await hook.close();
  });
});

describe('rate limits and faults', () => {
  it('answers 429 with HubSpot body and headers once the 10-second burst is spent, and search has its own lower limit', async () => {
    const sandbox = await startSandbox({
      rateLimits: { enabled: true, burst: 5, windowMs: 10_000, searchPerSecond: 2 },
    });
    try {
      const { accessToken } = await newPortal(sandbox);
      const statuses = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await raw(sandbox, accessToken, 'GET', '/crm/v3/objects/contacts')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await raw(sandbox, accessToken, 'GET', '/crm/v3/objects/contacts');
      expect(limited.json).toMatchObject({
        status: 'error',
        errorType: 'RATE_LIMIT',
        policyName: 'TEN_SECONDLY_ROLLING',
        message: 'You have reached your ten_secondly_rolling limit.',
      });
      expect(limited.headers.get('x-hubspot-ratelimit-max')).toBe('5');
      expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
      const search = [];
      for (let i = 0; i < 3; i++)
        search.push(
          (await raw(sandbox, accessToken, 'POST', '/crm/v3/objects/contacts/search', {})).status,
        );
      expect(search).toEqual([200, 200, 429]);
      expect(
        (await admin<{ rateLimited: number }>(sandbox, 'GET', '/_sandbox/stats')).json.rateLimited,
      ).toBe(4);
    } finally {
      await sandbox.close();
    }
  });

  it('injects 500, 502, resets and latency at the chosen rate, and clears them', async () => {
    const sandbox = await startSandbox();
    try {
      const { accessToken } = await newPortal(sandbox);
      await admin(sandbox, 'POST', '/_sandbox/faults', { rate: 1, kinds: ['500'], seed: 3 });
      expect((await raw(sandbox, accessToken, 'GET', '/crm/v3/objects/contacts')).status).toBe(500);
      await admin(sandbox, 'POST', '/_sandbox/faults', { rate: 1, kinds: ['reset'] });
      await expect(raw(sandbox, accessToken, 'GET', '/crm/v3/objects/contacts')).rejects.toThrow();
      await admin(sandbox, 'POST', '/_sandbox/faults', {
        rate: 1,
        kinds: ['latency'],
        latencyMs: 150,
      });
      const t = performance.now();
      expect((await raw(sandbox, accessToken, 'GET', '/crm/v3/objects/contacts')).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(140);
      await admin(sandbox, 'POST', '/_sandbox/faults', { rate: 0.5, kinds: ['502'], seed: 11 });
      const codes = [];
      for (let i = 0; i < 40; i++)
        codes.push((await raw(sandbox, accessToken, 'GET', '/crm/v3/objects/contacts')).status);
      expect(codes.filter((c) => c === 502).length).toBeGreaterThan(8);
      expect(codes.filter((c) => c === 200).length).toBeGreaterThan(8);
      expect((await admin(sandbox, 'DELETE', '/_sandbox/faults')).status).toBe(204);
      expect((await raw(sandbox, accessToken, 'GET', '/crm/v3/objects/contacts')).status).toBe(200);
      const bad = await admin(sandbox, 'POST', '/_sandbox/faults', { rate: 2, kinds: ['explode'] });
      expect(bad.status).toBe(400);
    } finally {
      await sandbox.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack';
import { createRuntime } from '../../src/server/compose';
import { ClientRejectedError } from '../../src/server/hubspot/oauth-client';
import { REQUIRED_SCOPES } from '../../src/server/http/oauth-routes';
import { startServer } from '../../src/server/http/server';
import { testStack, until } from '../support/stack';

let stack: Stack;

/** The authorize URL HubSpot's own install link points at: our client id, no state of ours. */
function hubspotStartedInstall(): URL {
  const url = new URL(`${stack.sandbox.url}/oauth/authorize`);
  url.searchParams.set('client_id', stack.app.clientId);
  url.searchParams.set('redirect_uri', `${stack.appUrl}/oauth/callback`);
  url.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
  url.searchParams.set('portalId', String(stack.portalId));
  return url;
}

const tokenCalls = () => stack.sandbox.state.stats.toJSON()['POST /oauth/2026-03/token'] ?? {};

beforeAll(async () => {
  stack = await testStack('oauth', { contacts: 20 });
});
afterAll(() => stack.close());

describe('installing and keeping access, on the 2026-03 OAuth endpoints', () => {
  it('completes an install started in HubSpot (a code and no state), for the account HubSpot names', async () => {
    const approved = await fetch(hubspotStartedInstall(), { redirect: 'manual' });
    const callback = new URL(approved.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBeNull();
    const done = await fetch(callback);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`HubSpot account ${stack.portalId} is connected`);
    const installation = await stack.runtime.installations.get(stack.portalId);
    expect(installation).toMatchObject({ status: 'active' });
    expect(installation!.scopes).toContain('oauth');
    // The exchange used the 2026-03 token endpoint, and no token-info call followed it.
    expect(tokenCalls()['200']).toBeGreaterThanOrEqual(1);
    const stats = stack.sandbox.state.stats.toJSON();
    expect(Object.keys(stats).filter((k) => k.includes('/oauth/v1/'))).toEqual([]);
  });

  it('answers a bogus or foreign code with a page that says to start again, never a 5xx', async () => {
    const bogus = await fetch(`${stack.appUrl}/oauth/callback?code=not-a-code`);
    expect(bogus.status).toBe(400);
    expect(await bogus.text()).toMatch(/did not accept this authorization code.*Start again/s);
    // A valid state of ours with a code HubSpot never issued.
    const start = await fetch(`${stack.appUrl}/oauth/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const forged = await fetch(`${stack.appUrl}/oauth/callback?code=bogus&state=${state}`);
    expect(forged.status).toBe(400);
    // A code issued to another app.
    const other = stack.sandbox.state.oauth.registerApp({
      redirectUri: `${stack.appUrl}/oauth/callback`,
      scopes: ['oauth'],
    });
    const url = new URL(`${stack.sandbox.url}/oauth/authorize`);
    url.searchParams.set('client_id', other.clientId);
    url.searchParams.set('redirect_uri', `${stack.appUrl}/oauth/callback`);
    url.searchParams.set('scope', 'oauth');
    const approved = await fetch(url, { redirect: 'manual' });
    const foreign = await fetch(approved.headers.get('location')!);
    expect(foreign.status).toBe(400);
  });

  it('a wrong client secret deletes nothing and raises the alarm; the right one brings every portal back', async () => {
    await until('the portal to be installed', async () =>
      stack.runtime.installations.get(stack.portalId),
    );
    const before = (await stack.runtime.installations.get(stack.portalId))!;
    // A bad deploy: the same Redis and portals, the wrong secret.
    const bad = createRuntime({ ...stack.runtime.config, HUBSPOT_CLIENT_SECRET: 'wrong-secret' });
    const badServer = await startServer(bad.app, { port: 0, host: '127.0.0.1' });
    try {
      await stack.runtime.installations.saveAccessToken(stack.portalId, before.accessToken!, 0);
      await expect(bad.tokens.accessToken(stack.portalId)).rejects.toBeInstanceOf(
        ClientRejectedError,
      );
      const after = (await stack.runtime.installations.get(stack.portalId))!;
      expect(after.status).toBe('active');
      expect(after.refreshToken).toBe(before.refreshToken);
      const ready = await fetch(`${badServer.url}/readyz`);
      expect(ready.status).toBe(503);
      expect((await ready.json()) as unknown).toMatchObject({
        error: { message: expect.stringMatching(/client credentials.*No portal was uninstalled/s) },
      });
      const metrics = await (await fetch(`${badServer.url}/metrics`)).text();
      expect(metrics).toMatch(/lq_oauth_client_rejected_total 1/);
      expect(await bad.alarm.read()).toMatchObject({
        message: expect.stringMatching(/invalid_client/),
      });
    } finally {
      await badServer.stop();
      await bad.close();
    }
    // The right configuration again: the portal's next call (its token refused as expired)
    // refreshes, and the alarm clears.
    await stack.runtime.tokens.invalidate(stack.portalId, before.accessToken!);
    const token = await stack.runtime.tokens.accessToken(stack.portalId);
    expect(token).not.toBe(before.accessToken);
    expect(await stack.runtime.alarm.read()).toBeNull();
    expect((await fetch(`${stack.appUrl}/readyz`)).status).toBe(200);
  });
});

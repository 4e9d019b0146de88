import { unwrapProxyEnvelope } from '@lead-qualifier/ui-kit';
import type { Stack } from '../../src/demo/stack';
import { createUiFetch, installUiFetch, type UiFetchOptions } from '../../src/sandbox/ui-fetch';

/** The HTTPS URL the project lists in permittedUrls.fetch; the sandbox proxies it to the stack. */
export const BACKEND_URL = 'https://lq.example.test';

/** HubSpot's side of `hubspot.fetch` for a user of the stack's portal (the sandbox's proxy). */
function proxyFor(stack: Stack, overrides: Partial<UiFetchOptions> = {}) {
  return createUiFetch({
    appId: stack.app.appId,
    clientSecret: stack.app.clientSecret,
    portalId: stack.portalId,
    userId: 4242,
    userEmail: 'rep@example.com',
    permittedUrls: [BACKEND_URL],
    proxy: { [BACKEND_URL]: stack.appUrl },
    ...overrides,
  });
}

/** `hubspot.fetch` as a user of the stack's portal, read back to the backend's own answers. */
export function backendFetch(stack: Stack, overrides: Partial<UiFetchOptions> = {}) {
  const proxied = proxyFor(stack, overrides).fetch;
  return async (...args: Parameters<typeof proxied>) => backendAnswer(await proxied(...args));
}

/** `hubspot.fetch` for a stack's portal, signed as HubSpot signs it, installed globally. */
export function uiFetchFor(stack: Stack, overrides: Partial<UiFetchOptions> = {}) {
  const uiFetch = proxyFor(stack, overrides);
  const uninstall = installUiFetch(uiFetch.fetch);
  return { ...uiFetch, uninstall };
}

/** Contacts of the seeded portal with the status the model gave them. */
export async function contactsByStatus(stack: Stack): Promise<Map<string, string[]>> {
  const by = new Map<string, string[]>();
  for (const id of stack.seeded!.truth.keys()) {
    const q = await stack.runtime.scores.get(stack.portalId, id);
    const status = q?.status ?? 'none';
    by.set(status, [...(by.get(status) ?? []), id]);
  }
  return by;
}

/** Installs the stack's app in another sandbox portal, through the same OAuth redirects. */
export async function installInAnotherPortal(stack: Stack): Promise<number> {
  const portal = stack.sandbox.state.createPortal();
  const start = await fetch(`${stack.appUrl}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  authorize.searchParams.set('portalId', String(portal.id));
  const approved = await fetch(authorize, { redirect: 'manual' });
  const done = await fetch(approved.headers.get('location')!, { redirect: 'manual' });
  if (done.status !== 200) throw new Error(`install in portal ${portal.id}: ${done.status}`);
  return portal.id;
}

/**
 * What the backend answered, from what `hubspot.fetch` returned: HubSpot's proxy wraps a
 * backend 3xx–5xx in an HTTP 200 envelope (`appServerStatusCode`, `responseBody`); this reads
 * the backend's status and body back out, for tests about the backend's answers.
 */
export async function backendAnswer(response: Response): Promise<Response> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    return new Response(text, { status: response.status, headers: response.headers });
  }
  const inner = unwrapProxyEnvelope(response.status, json);
  if (inner)
    return new Response(inner.body === null ? '' : JSON.stringify(inner.body), {
      status: inner.status,
      headers: { 'content-type': 'application/json' },
    });
  return new Response(text, { status: response.status, headers: response.headers });
}

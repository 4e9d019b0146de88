import { Client } from '@hubspot/api-client';
import { expect } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox/create-sandbox';
import { SERIALIZERS, type SerializerModule } from '../../src/sandbox/http/wire';
import type { SandboxOptions } from '../../src/sandbox/sandbox-state';

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return createSandbox({ rateLimits: { enabled: false }, ...options });
}

export async function admin<T = Record<string, unknown>>(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
}

export async function newPortal(sandbox: Sandbox, seed?: { seed: number; contacts: number }) {
  const { json } = await admin<{ portalId: number; accessToken: string }>(
    sandbox,
    'POST',
    '/_sandbox/portals',
    seed ?? {},
  );
  return { ...json, client: new Client({ accessToken: json.accessToken, basePath: sandbox.url }) };
}

/** A raw HTTP call, to check what is on the wire rather than what the SDK makes of it. */
export async function raw(
  sandbox: Sandbox,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

/**
 * Deserialises a raw body with the SDK's model class and serialises it back: nothing the SDK
 * knows may be lost or changed. `outside` lists fields HubSpot sends beyond the spec's schema
 * (e.g. `status` on errors), which the SDK's model does not carry.
 */
export function expectRoundTrip(
  module: SerializerModule,
  type: string,
  json: unknown,
  outside: string[] = [],
): void {
  const os = SERIALIZERS[module];
  const back = os.serialize(os.deserialize(json, type, ''), type, '');
  const expected = { ...(json as Record<string, unknown>) };
  for (const key of outside) delete expected[key];
  expect(JSON.parse(JSON.stringify(back))).toEqual(expected);
}

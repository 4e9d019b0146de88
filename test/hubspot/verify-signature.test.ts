import { Signature } from '@hubspot/api-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AGE_MS, verifySignatureV3 } from '../../src/server/hubspot/verify-signature';

// HubSpot's own implementation of the v3 signature (@hubspot/api-client's Signature, the SDK
// HubSpot publishes) is the oracle: whatever it signs, we accept; anything else, we refuse.
// https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation

const NOW = 1_764_000_000_000;
const SECRET = 'client-secret-of-the-app';

function hubspotSigns(
  method: string,
  url: string,
  body: string,
  timestamp: number,
  secret = SECRET,
) {
  return Signature.getSignature(method, 'v3', {
    signature: '',
    clientSecret: secret,
    requestBody: body,
    url,
    method,
    timestamp,
  });
}

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  path: fc.stringMatching(/^\/[a-z0-9/_-]{0,40}$/),
  query: fc.dictionary(fc.stringMatching(/^[a-zA-Z]{1,8}$/), fc.string({ maxLength: 12 }), {
    maxKeys: 4,
  }),
  body: fc.string({ maxLength: 300 }),
  age: fc.integer({ min: -MAX_AGE_MS, max: MAX_AGE_MS }),
});

function urlOf(r: { path: string; query: Record<string, string> }) {
  const url = new URL(`https://leads.example.com${r.path}`);
  for (const [k, v] of Object.entries(r.query)) url.searchParams.append(k, v);
  return url.href;
}

describe("the v3 signature, checked against HubSpot's own signer", () => {
  it('accepts every request HubSpot signs within 5 minutes, whatever its method, URL and body', () => {
    fc.assert(
      fc.property(request, (r) => {
        const url = urlOf(r);
        const timestamp = NOW - r.age;
        const signature = hubspotSigns(r.method, url, r.body, timestamp);
        const result = verifySignatureV3(
          { method: r.method, url, body: r.body, signature, timestamp: String(timestamp) },
          [SECRET],
          NOW,
        );
        expect(result.ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a changed method, URL, body or timestamp, and another secret', () => {
    fc.assert(
      fc.property(request, fc.string({ minLength: 1, maxLength: 5 }), (r, extra) => {
        const url = urlOf(r);
        const timestamp = NOW - r.age;
        const signature = hubspotSigns(r.method, url, r.body, timestamp);
        const base = {
          method: r.method,
          url,
          body: r.body,
          signature,
          timestamp: String(timestamp),
        };
        const refused = [
          { ...base, body: r.body + extra },
          { ...base, url: `${url}${url.includes('?') ? '&' : '?'}portalId=1` },
          { ...base, method: r.method === 'GET' ? 'POST' : 'GET' },
          { ...base, timestamp: String(timestamp + (r.age > 0 ? 1 : -1)) },
        ];
        for (const changed of refused)
          expect(verifySignatureV3(changed, [SECRET], NOW)).toEqual({
            ok: false,
            error: 'bad_signature',
          });
        expect(verifySignatureV3(base, ['another-secret'], NOW).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('accepts the previous secret during a rotation, and refuses a stale or missing timestamp', () => {
    const url = 'https://leads.example.com/webhooks/hubspot';
    const body = '[{"eventId":1}]';
    const signature = hubspotSigns('POST', url, body, NOW, 'old-secret');
    const signed = { method: 'POST', url, body, signature, timestamp: String(NOW) };
    expect(verifySignatureV3(signed, [SECRET], NOW).ok).toBe(false);
    expect(verifySignatureV3(signed, [SECRET, 'old-secret'], NOW).ok).toBe(true);
    const stale = { ...signed, timestamp: String(NOW - MAX_AGE_MS - 1) };
    expect(verifySignatureV3(stale, ['old-secret'], NOW)).toEqual({
      ok: false,
      error: 'stale_timestamp',
    });
    expect(verifySignatureV3({ ...signed, timestamp: undefined }, ['old-secret'], NOW)).toEqual({
      ok: false,
      error: 'missing_signature',
    });
    expect(verifySignatureV3({ ...signed, signature: undefined }, ['old-secret'], NOW)).toEqual({
      ok: false,
      error: 'missing_signature',
    });
  });

  it('accepts a URL HubSpot signed with its listed percent-encodings decoded', () => {
    // HubSpot decodes %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B before hashing, while the
    // request line keeps them encoded; the SDK's signer does not decode, so sign the decoded form.
    const received = 'https://leads.example.com/api/card?userEmail=ann%40acme.com&x=a%2Cb%3Bc%21';
    const decoded = 'https://leads.example.com/api/card?userEmail=ann@acme.com&x=a,b;c!';
    const signature = hubspotSigns('GET', decoded, '', NOW);
    expect(
      verifySignatureV3(
        { method: 'GET', url: received, body: '', signature, timestamp: String(NOW) },
        [SECRET],
        NOW,
      ).ok,
    ).toBe(true);
    // A percent-encoding outside HubSpot's list is hashed as it was sent.
    const spaced = 'https://leads.example.com/api/card?q=a%20b';
    expect(
      verifySignatureV3(
        {
          method: 'GET',
          url: spaced,
          body: '',
          signature: hubspotSigns('GET', spaced, '', NOW),
          timestamp: String(NOW),
        },
        [SECRET],
        NOW,
      ).ok,
    ).toBe(true);
  });
});

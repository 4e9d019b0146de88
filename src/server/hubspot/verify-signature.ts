import { createHmac, timingSafeEqual } from 'node:crypto';
import { err, ok, type Result } from '../domain/result';

/** HubSpot rejects requests older than 5 minutes; so do we (request-validation docs). */
export const MAX_AGE_MS = 5 * 60_000;

interface SignedRequest {
  method: string;
  /** The full URL HubSpot called, with the query string. */
  url: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
}

type SignatureError = 'missing_signature' | 'stale_timestamp' | 'bad_signature';

/** What each failure tells the caller, whoever it is (HubSpot, or someone who is not). */
export const SIGNATURE_MESSAGES: Record<SignatureError, string> = {
  missing_signature:
    'Missing X-HubSpot-Signature-v3 or X-HubSpot-Request-Timestamp: only HubSpot may call this endpoint; call this API from the app card or settings page (hubspot.fetch signs it).',
  stale_timestamp:
    'X-HubSpot-Request-Timestamp is more than 5 minutes from now: the request is stale or replayed.',
  bad_signature:
    'X-HubSpot-Signature-v3 does not match: check HUBSPOT_CLIENT_SECRET and PUBLIC_BASE_URL (the URL is part of what is signed).',
};

/**
 * HubSpot's percent-encodings to decode in the URI before hashing
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation).
 */
const DECODE: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};
const decodeUri = (url: string) =>
  url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODE[m.toUpperCase()] ?? m);

const sign = (secret: string, r: SignedRequest, url: string) =>
  createHmac('sha256', secret)
    .update(`${r.method.toUpperCase()}${url}${r.body}${r.timestamp}`, 'utf8')
    .digest();

/**
 * Verifies `X-HubSpot-Signature-v3`: base64 HMAC-SHA256, keyed with the client secret, of
 * method + URI + body + timestamp, compared in constant time. The timestamp (ms) must be at
 * most 5 minutes old. Each secret is tried, so a rotation can accept the previous one.
 */
export function verifySignatureV3(
  r: SignedRequest,
  secrets: readonly string[],
  now: number,
): Result<true, SignatureError> {
  if (!r.signature || !r.timestamp || !/^\d+$/.test(r.timestamp)) return err('missing_signature');
  if (Math.abs(now - Number(r.timestamp)) > MAX_AGE_MS) return err('stale_timestamp');
  // Buffer.from never throws on base64: characters outside the alphabet are skipped.
  const given = Buffer.from(r.signature, 'base64');
  const urls = [...new Set([r.url, decodeUri(r.url)])];
  for (const secret of secrets) {
    for (const url of urls) {
      const expected = sign(secret, r, url);
      if (expected.length === given.length && timingSafeEqual(expected, given)) return ok(true);
    }
  }
  return err('bad_signature');
}

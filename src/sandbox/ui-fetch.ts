import { signV3 } from './webhook-dispatcher';

/**
 * HubSpot's side of `hubspot.fetch` for UI extensions running outside HubSpot (component tests,
 * local development): what HubSpot's proxy does between the card and the app's backend.
 * Sources: https://developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data,
 * and the proxy of `@hubspot/ui-extensions-dev-server` (`dist/lib/proxy/AppProxyService.js`),
 * which says it mirrors HubSpot's backend proxy (a test holds our envelope against it).
 *
 * - only URLs under the app's `permittedUrls.fetch` (HTTPS) may be called;
 * - the request body is JSON (an object), at most 1 MB;
 * - only an `Authorization` header may be sent (any other: 400 VALIDATION_ERROR);
 * - `portalId`, `userId`, `userEmail` and `appId` are appended to the query string;
 * - the request is signed with `X-HubSpot-Signature-v3` over method, full URL, body and timestamp;
 * - at most 20 requests per account are in flight (more get 429);
 * - the timeout is what the call asks for, at most 15 s;
 * - a 5xx answer or a connection failure is retried once;
 * - a backend answer of 300–599, and a failure to reach the backend, come back as HTTP 200 with
 *   the proxy's envelope: `{ status: "error", category: "BAD_GATEWAY", responseBody,
 *   context: { appServerStatusCode: ["400"] } }`; a 2xx comes back as the backend sent it.
 *
 * `proxy` maps a permitted URL to where the backend really listens, as HubSpot's local
 * development proxy does; the URL the backend receives is the one signed.
 */
export interface UiFetchOptions {
  appId: number;
  clientSecret: string;
  portalId: number;
  userId: number;
  userEmail: string;
  permittedUrls: readonly string[];
  proxy?: Record<string, string>;
  /** Replaces the clock used for the signature's timestamp (stale-request tests). */
  clock?: () => number;
  maxConcurrent?: number;
}

interface UiFetchStats {
  requests: number;
  retries: number;
  refused: number;
  inFlight: number;
}

const UI_FETCH_LIMITS = {
  maxBodyBytes: 1_000_000,
  maxConcurrent: 20,
  defaultTimeoutMs: 15_000,
  maxTimeoutMs: 15_000,
} as const;

type FetchOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  timeout?: number;
  body?: Record<string, unknown>;
  headers?: Headers | Record<string, string>;
};

/** HubSpot answers a refused `hubspot.fetch` itself, in its usual error shape. */
function refusal(status: number, category: string, message: string): Response {
  return new Response(
    JSON.stringify({ status: 'error', category, message, correlationId: crypto.randomUUID() }),
    { status, headers: { 'content-type': 'application/json' } },
  );
}

/**
 * The proxy's answer when the backend answered 300–599 or could not be reached: HTTP 200 and an
 * envelope with the backend's status and body (AppProxyService's BAD_GATEWAY mapping).
 */
async function envelope(
  requestUri: string,
  method: string,
  portalId: number,
  backendStatus: number,
  backend: Response | null,
): Promise<Response> {
  let responseBody: unknown = undefined;
  if (backend) {
    const text = await backend.text();
    try {
      responseBody = text === '' ? undefined : JSON.parse(text);
    } catch {
      responseBody = text;
    }
  }
  return new Response(
    JSON.stringify({
      status: 'error',
      context: {
        portalId: [String(portalId)],
        httpMethod: [method],
        requestUri: [requestUri],
        correlationId: [crypto.randomUUID()],
        appServerStatusCode: [String(backendStatus)],
      },
      message: 'Error returned from Request Uri',
      responseBody,
      errors: [{ message: `Unacceptable HTTP status ${backendStatus} calling ${requestUri}` }],
      category: 'BAD_GATEWAY',
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );
}

export function createUiFetch(options: UiFetchOptions) {
  const clock = options.clock ?? Date.now;
  const maxConcurrent = options.maxConcurrent ?? UI_FETCH_LIMITS.maxConcurrent;
  const stats: UiFetchStats = { requests: 0, retries: 0, refused: 0, inFlight: 0 };

  function target(url: URL): URL {
    for (const [from, to] of Object.entries(options.proxy ?? {})) {
      if (url.href.startsWith(from)) return new URL(to + url.href.slice(from.length));
    }
    return url;
  }

  async function send(
    url: URL,
    method: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<Response> {
    const timestamp = String(clock());
    return fetch(url, {
      method,
      body: method === 'GET' || method === 'DELETE' || body === '' ? undefined : body,
      headers: {
        ...headers,
        ...(body === '' ? {} : { 'content-type': 'application/json' }),
        'x-hubspot-request-timestamp': timestamp,
        'x-hubspot-signature-v3': signV3(
          options.clientSecret,
          method,
          url.href,
          method === 'GET' || method === 'DELETE' ? '' : body,
          timestamp,
        ),
      },
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  async function hsFetch(input: string | URL, init: FetchOptions = {}): Promise<Response> {
    stats.requests++;
    const requested = new URL(String(input));
    const permitted = options.permittedUrls.some(
      (p) => requested.protocol === 'https:' && requested.href.startsWith(p.replace(/\/?$/, '/')),
    );
    if (!permitted) {
      stats.refused++;
      return refusal(
        403,
        'FORBIDDEN',
        `${requested.origin} is not in the app's permittedUrls.fetch (HTTPS URLs only).`,
      );
    }
    const method = (init.method ?? 'GET').toUpperCase();
    const body = init.body === undefined ? '' : JSON.stringify(init.body);
    if (Buffer.byteLength(body) > UI_FETCH_LIMITS.maxBodyBytes) {
      stats.refused++;
      return refusal(413, 'VALIDATION_ERROR', 'The request body is larger than 1 MB.');
    }
    if (stats.inFlight >= maxConcurrent) {
      stats.refused++;
      return refusal(
        429,
        'RATE_LIMITS',
        `More than ${maxConcurrent} hubspot.fetch requests in flight for this account.`,
      );
    }
    const timeoutMs = Math.min(
      init.timeout ?? UI_FETCH_LIMITS.defaultTimeoutMs,
      UI_FETCH_LIMITS.maxTimeoutMs,
    );
    const url = target(requested);
    url.searchParams.append('userId', String(options.userId));
    url.searchParams.append('userEmail', options.userEmail);
    url.searchParams.append('appId', String(options.appId));
    url.searchParams.append('portalId', String(options.portalId));
    const headers =
      init.headers instanceof Headers
        ? Object.fromEntries(init.headers.entries())
        : { ...init.headers };
    const names = Object.keys(headers);
    if (names.length > 1 || names.some((h) => h.toLowerCase() !== 'authorization')) {
      stats.refused++;
      return refusal(
        400,
        'VALIDATION_ERROR',
        names.length > 1
          ? "Only 'Authorization' header is allowed"
          : "Invalid Request Headers provided. Only 'Authorization' header is allowed from hubspot.fetch()",
      );
    }
    stats.inFlight++;
    const requestUri = requested.href;
    try {
      let response = await send(url, method, body, headers, timeoutMs).catch((error: unknown) => {
        if (error instanceof Error && error.name === 'TimeoutError') throw error;
        stats.retries++;
        return send(url, method, body, headers, timeoutMs);
      });
      if (response.status >= 500) {
        await response.body?.cancel();
        stats.retries++;
        response = await send(url, method, body, headers, timeoutMs);
      }
      if (response.status >= 300)
        return await envelope(requestUri, method, options.portalId, response.status, response);
      return response;
    } catch (error) {
      // The backend could not be reached (or timed out) even after the retry.
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return envelope(requestUri, method, options.portalId, timedOut ? 504 : 500, null);
    } finally {
      stats.inFlight--;
    }
  }

  return { fetch: hsFetch, stats };
}
type UiFetch = ReturnType<typeof createUiFetch>;

/**
 * Makes `hubspot.fetch` from `@hubspot/ui-extensions` call `uiFetch` in this process, as it
 * calls HubSpot's proxy inside HubSpot's extension worker.
 */
export function installUiFetch(uiFetch: UiFetch['fetch']): () => void {
  const g = globalThis as unknown as { self?: unknown; hsFetch?: unknown };
  const before = { self: g.self, hsFetch: g.hsFetch };
  g.self ??= globalThis;
  g.hsFetch = uiFetch;
  return () => {
    g.hsFetch = before.hsFetch;
    if (before.self === undefined) delete g.self;
  };
}

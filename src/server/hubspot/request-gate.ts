import { Client } from '@hubspot/api-client';
import type { Metrics } from '../metrics';
import { HubSpotCallError } from './crm-port';
import type { RateLimiter } from './rate-limiter';
import { requestClass, type RequestClass } from './request-class';
import type { TokenManager } from './token-manager';

interface ApiErrorLike {
  code?: number;
  body?: {
    message?: string;
    category?: string;
    errors?: Array<{ context?: { propertyName?: string[] } }>;
  };
  message?: string;
}

/**
 * The properties a VALIDATION_ERROR names: in `errors[].context.propertyName`, or in the list
 * HubSpot embeds in its message ("Property values were not valid: [{..., "name": "x"}]").
 */
function invalidProperties(body: ApiErrorLike['body']): string[] {
  const names = new Set<string>();
  for (const e of body?.errors ?? []) for (const n of e.context?.propertyName ?? []) names.add(n);
  const embedded = /Property values were not valid: (\[.*\])/s.exec(body?.message ?? '')?.[1];
  if (embedded) {
    try {
      for (const v of JSON.parse(embedded) as Array<{ name?: unknown }>)
        if (typeof v.name === 'string') names.add(v.name);
    } catch {
      // not the documented shape: the caller splits the batch instead
    }
  }
  return [...names];
}

function toCallError(error: unknown): HubSpotCallError {
  const e = error as ApiErrorLike;
  if (typeof e?.code === 'number' && e.code >= 100) {
    return new HubSpotCallError(
      e.code,
      e.body?.message ?? e.message ?? `HubSpot answered ${e.code}`,
      e.body?.category,
      e.code === 400 ? invalidProperties(e.body) : [],
    );
  }
  // No HTTP status: the connection failed, was reset or timed out.
  return new HubSpotCallError(
    0,
    `HubSpot could not be reached: ${(error as Error)?.message ?? String(error)}`,
  );
}

export interface RequestGateOptions {
  basePath: string;
  tokens: TokenManager;
  limiter: RateLimiter;
  metrics?: Metrics;
  /** Retries of one request on 429, 5xx and network errors, before the job's own retry. */
  retries?: number;
  retryBaseMs?: number;
  /** Requests per portal in flight at once from this process. */
  maxInFlight?: number;
}

/**
 * The way every HubSpot CRM request goes out: it waits for a slot of the portal's shared rate
 * limit and for room among the portal's requests in flight from this process, uses the portal's
 * current access token (refreshed once on a 401), retries a 429, 5xx or network error here a few
 * times with short doubling delays (each try a new slot), and reports what is left as a
 * HubSpotCallError (retryable ones the job retries with its backoff). The SDK's own retries are
 * off: they sleep up to 10 s inside a call, holding a worker slot.
 */
export function createRequestGate(options: RequestGateOptions) {
  const clients = new Map<string, Client>();
  const clientFor = (token: string) => {
    let client = clients.get(token);
    if (!client) {
      if (clients.size > 1000) clients.clear();
      client = new Client({
        accessToken: token,
        basePath: options.basePath,
        numberOfApiCallRetries: 0,
      });
      clients.set(token, client);
    }
    return client;
  };

  const retries = options.retries ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 200;

  /**
   * One request, retried here on 429, 5xx and network errors with doubling backoff (each try
   * takes a new rate-limit slot): a page of a backfill is a dozen requests, and redoing all of
   * them for one failure would multiply the load. A 401 refreshes the token once.
   */
  // At most this many requests per portal in flight from this process: a burst of granted slots
  // would otherwise reach HubSpot (which counts on arrival) spread out by its own queueing, and
  // requests granted later could land inside the same 10 s window.
  const maxInFlight = options.maxInFlight ?? 8;
  // Realtime requests (a person waits) take a free place before bulk ones.
  const inFlight = new Map<
    number,
    { n: number; realtime: Array<() => void>; bulk: Array<() => void> }
  >();
  const enter = async (portalId: number, cls: RequestClass) => {
    const slot = inFlight.get(portalId) ?? { n: 0, realtime: [], bulk: [] };
    inFlight.set(portalId, slot);
    if (slot.n >= maxInFlight) await new Promise<void>((r) => slot[cls].push(r));
    slot.n++;
  };
  const leave = (portalId: number) => {
    const slot = inFlight.get(portalId)!;
    slot.n--;
    (slot.realtime.shift() ?? slot.bulk.shift())?.();
  };

  async function call<T>(
    portalId: number,
    endpoint: string,
    run: (client: Client) => Promise<T>,
    bucket: 'burst' | 'search' = 'burst',
  ): Promise<T> {
    let refreshed = false;
    const cls = requestClass();
    for (let attempt = 0; ; attempt++) {
      // A place among the portal's requests in flight is held only once a rate-limit slot is
      // granted: a request waiting for the limit does not keep others (a person's change
      // behind a backfill's requests) from going out.
      const { waited, settle } = await options.limiter.acquire(portalId, bucket, cls, {
        enter: () => enter(portalId, cls),
        leave: () => leave(portalId),
      });
      if (waited > 0) options.metrics?.rateLimitWaitSeconds.inc({ bucket }, waited / 1000);
      // Once answered (or failed), the slot counts from then: HubSpot counted it on arrival.
      // Not settled (Redis unreachable), it stays pending: counted longer, never too little.
      const answered = () => void settle().catch(() => undefined);
      let token: string;
      try {
        token = await options.tokens.accessToken(portalId);
      } catch (error) {
        leave(portalId);
        answered();
        throw error;
      }
      const stop = options.metrics?.hubspotRequestDuration.startTimer({ endpoint });
      let failure: HubSpotCallError;
      try {
        const result = await run(clientFor(token));
        stop?.({ status: '2xx' });
        options.metrics?.hubspotRequests.inc({ endpoint, status: '2xx' });
        return result;
      } catch (error) {
        failure = toCallError(error);
      } finally {
        leave(portalId);
        answered();
      }
      stop?.({ status: String(failure.status) });
      options.metrics?.hubspotRequests.inc({ endpoint, status: String(failure.status) });
      if (failure.status === 401 && !refreshed) {
        refreshed = true;
        await options.tokens.invalidate(portalId, token);
        continue;
      }
      if (failure.retryable && attempt < retries) {
        await new Promise((r) => setTimeout(r, retryBaseMs * 2 ** attempt));
        continue;
      }
      throw failure;
    }
  }

  return call;
}

/** A portal's HubSpot call through the gate: what createRequestGate returns. */
export type RequestGate = ReturnType<typeof createRequestGate>;

import { Client } from '@hubspot/api-client';
import type { CrmObject } from '../domain/facts';
import type { LqPropertyDef } from '../domain/lq-properties';
import type { Metrics } from '../metrics';
import { HubSpotCallError, type CrmPort, type RefusedWrite } from './crm-port';
import type { RateLimiter } from './rate-limiter';
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

const toCrmObject = (o: { id: string; properties: Record<string, string | null> }): CrmObject => ({
  id: o.id,
  properties: { ...o.properties },
});

interface HubSpotCrmOptions {
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
 * CrmPort on @hubspot/api-client: every call waits for a slot of the portal's shared rate
 * limit, uses the portal's current access token, refreshes it once on a 401, retries a 429,
 * 5xx or network error here a few times with short doubling delays (each try a new slot), and
 * reports what is left as HubSpotCallError (retryable ones the job retries with its backoff).
 * The SDK's own retries are off: they sleep up to 10 s inside a call, holding a worker slot.
 */
export function createHubSpotCrm(options: HubSpotCrmOptions): CrmPort {
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
  const inFlight = new Map<number, { n: number; waiting: Array<() => void> }>();
  const enter = async (portalId: number) => {
    const slot = inFlight.get(portalId) ?? { n: 0, waiting: [] };
    inFlight.set(portalId, slot);
    if (slot.n >= maxInFlight) await new Promise<void>((r) => slot.waiting.push(r));
    slot.n++;
  };
  const leave = (portalId: number) => {
    const slot = inFlight.get(portalId)!;
    slot.n--;
    slot.waiting.shift()?.();
  };

  async function call<T>(
    portalId: number,
    endpoint: string,
    run: (client: Client) => Promise<T>,
    bucket: 'burst' | 'search' = 'burst',
  ): Promise<T> {
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      await enter(portalId);
      const { waited } = await options.limiter.acquire(portalId, bucket).catch((error: unknown) => {
        leave(portalId);
        throw error;
      });
      if (waited > 0) options.metrics?.rateLimitWaitSeconds.inc({ bucket }, waited / 1000);
      let token: string;
      try {
        token = await options.tokens.accessToken(portalId);
      } catch (error) {
        leave(portalId);
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

  return {
    async listContacts(portalId, { after, properties, limit }) {
      const page = await call(portalId, 'contacts.list', (c) =>
        c.crm.contacts.basicApi.getPage(limit, after, properties),
      );
      return { results: page.results.map(toCrmObject), next: page.paging?.next?.after };
    },

    async countContacts(portalId) {
      const res = await call(
        portalId,
        'contacts.search',
        (c) =>
          c.crm.contacts.searchApi.doSearch({
            filterGroups: [],
            sorts: [],
            properties: ['hs_object_id'],
            limit: 1,
            after: '0',
          }),
        'search',
      );
      return res.total;
    },

    async readObjects(portalId, type, ids, properties) {
      const out: CrmObject[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        const inputs = ids.slice(i, i + 100).map((id) => ({ id }));
        const body = { inputs, properties, propertiesWithHistory: [] };
        const res = await call(portalId, `${type}.batchRead`, (c) =>
          type === 'contacts'
            ? c.crm.contacts.batchApi.read(body)
            : type === 'companies'
              ? c.crm.companies.batchApi.read(body)
              : c.crm.objects.batchApi.read(type, body),
        );
        out.push(...res.results.map(toCrmObject));
      }
      return out;
    },

    async associations(portalId, from, to, ids) {
      const out = new Map<string, string[]>();
      let pending = ids.map((id) => ({ id, after: undefined as string | undefined }));
      while (pending.length > 0) {
        const chunk = pending.slice(0, 1000);
        pending = pending.slice(1000);
        const res = await call(portalId, `associations.${from}.${to}`, (c) =>
          c.crm.associations.v4.batchApi.getPage(from, to, {
            inputs: chunk.map((p) => (p.after ? { id: p.id, after: p.after } : { id: p.id })),
          }),
        );
        for (const r of res.results) {
          const list = out.get(r._from.id) ?? [];
          list.push(...r.to.map((t) => String(t.toObjectId)));
          out.set(r._from.id, list);
          if (r.paging?.next?.after) pending.push({ id: r._from.id, after: r.paging.next.after });
        }
      }
      return out;
    },

    async readContact(portalId, id, properties, types) {
      try {
        const res = await call(portalId, 'contacts.get', (c) =>
          c.crm.contacts.basicApi.getById(id, properties, undefined, [...types]),
        );
        const associations = new Map<string, string[]>();
        for (const type of types) {
          const page = res.associations?.[type];
          if (page?.paging?.next) continue;
          associations.set(type, [...new Set((page?.results ?? []).map((r) => r.id))]);
        }
        return { contact: toCrmObject(res), associations };
      } catch (error) {
        if (error instanceof HubSpotCallError && error.status === 404) return null;
        throw error;
      }
    },

    async updateContacts(portalId, updates) {
      const missing: string[] = [];
      const refused: RefusedWrite[] = [];
      // HubSpot refuses a whole batch for one invalid value (400). What it names is left out and
      // the batch sent again; what it does not name is found by halving the batch. A contact
      // refused on its own is reported, never retried forever; the others are written.
      const write = async (batch: typeof updates): Promise<void> => {
        if (batch.length === 0) return;
        try {
          const res = await call(portalId, 'contacts.batchUpdate', (c) =>
            c.crm.contacts.batchApi.update({ inputs: batch }),
          );
          const errors =
            (res as { errors?: Array<{ context?: Record<string, string[]> }> }).errors ?? [];
          missing.push(...errors.flatMap((e) => e.context?.['ids'] ?? []));
        } catch (error) {
          if (!(error instanceof HubSpotCallError) || error.status !== 400) throw error;
          const named = error.invalidProperties.filter((p) => batch.some((u) => p in u.properties));
          if (named.length > 0) {
            for (const property of named)
              refused.push({
                property,
                contactIds: batch.filter((u) => property in u.properties).map((u) => u.id),
                message: error.message,
              });
            const rest = batch
              .map((u) => ({
                id: u.id,
                properties: Object.fromEntries(
                  Object.entries(u.properties).filter(([name]) => !named.includes(name)),
                ),
              }))
              .filter((u) => Object.keys(u.properties).length > 0);
            return write(rest);
          }
          if (batch.length === 1) {
            refused.push({ contactIds: [batch[0]!.id], message: error.message });
            return;
          }
          const half = Math.ceil(batch.length / 2);
          await write(batch.slice(0, half));
          await write(batch.slice(half));
        }
      };
      await write(updates);
      return { missing, refused };
    },

    async lifecycleStages(portalId) {
      const property = await call(portalId, 'properties.get', (c) =>
        c.crm.properties.coreApi.getByName('contacts', 'lifecyclestage'),
      );
      return [...property.options]
        .filter((o) => !o.hidden)
        .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
        .map((o) => ({ value: o.value, label: o.label }));
    },

    async listProperties(portalId, type) {
      const { results } = await call(portalId, 'properties.list', (c) =>
        c.crm.properties.coreApi.getAll(type),
      );
      return results
        .filter((p) => !p.hidden)
        .map((p) => ({
          name: p.name,
          label: p.label,
          type: p.type,
          fieldType: p.fieldType,
          groupName: p.groupName,
          options: (p.options ?? [])
            .filter((o) => !o.hidden)
            .map((o) => ({ label: o.label, value: o.value })),
        }))
        .sort((a, b) => a.label.localeCompare(b.label));
    },

    async ensureProperties(portalId, group, properties) {
      const existingGroups = await call(portalId, 'properties.groups', (c) =>
        c.crm.properties.groupsApi.getAll('contacts'),
      );
      if (!existingGroups.results.some((g) => g.name === group.name)) {
        await call(portalId, 'properties.createGroup', (c) =>
          c.crm.properties.groupsApi.create('contacts', group),
        );
      }
      const existing = new Set(
        (
          await call(portalId, 'properties.list', (c) =>
            c.crm.properties.coreApi.getAll('contacts'),
          )
        ).results.map((p) => p.name),
      );
      const missing = properties.filter((p) => !existing.has(p.name));
      if (missing.length === 0) return { created: [] };
      await call(portalId, 'properties.batchCreate', (c) =>
        c.crm.properties.batchApi.create('contacts', {
          inputs: missing.map((p: LqPropertyDef) => ({
            name: p.name,
            label: p.label,
            description: p.description,
            type: p.type as never,
            fieldType: p.fieldType as never,
            groupName: group.name,
            ...(p.options
              ? {
                  options: p.options.map((o, k) => ({
                    label: o.label,
                    value: o.value,
                    displayOrder: k,
                    hidden: false,
                  })),
                }
              : {}),
          })),
        }),
      );
      return { created: missing.map((p) => p.name) };
    },
  };
}

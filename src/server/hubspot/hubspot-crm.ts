import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import type { CrmObject, PropertyHistory } from '../domain/facts';
import type { LqPropertyDef } from '../domain/lq-properties';
import { HubSpotCallError, RECENT_ACTIVITY, type CrmPort, type RefusedWrite } from './crm-port';
import { createRequestGate, type RequestGate, type RequestGateOptions } from './request-gate';

/** HubSpot reads at most 50 objects' property histories in one batch request. */
const HISTORY_BATCH = 50;
/** The newest values of a history kept: more than any signal's cap of occurrences counts. */
const HISTORY_KEPT = 100;

export const toCrmObject = (o: {
  id: string;
  properties: Record<string, string | null>;
}): CrmObject => ({
  id: o.id,
  properties: { ...o.properties },
});

/**
 * Objects of `type` by id, 100 per batch read, with `properties`; ids HubSpot does not have (or
 * that were deleted) are left out.
 */
export async function readBatch(
  call: RequestGate,
  portalId: number,
  type: string,
  ids: readonly string[],
  properties: string[],
): Promise<CrmObject[]> {
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
}

/**
 * For each `from` id, the ids it is associated with of type `to`: v4 batch reads of up to 1,000
 * inputs, each id's further pages asked for again until HubSpot has given them all.
 */
export async function readAssociations(
  call: RequestGate,
  portalId: number,
  from: string,
  to: string,
  ids: readonly string[],
): Promise<Map<string, string[]>> {
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
}

/** CrmPort on @hubspot/api-client: the calls the app makes, each through the request gate. */
export function createHubSpotCrm(options: RequestGateOptions): CrmPort {
  const call = createRequestGate(options);

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

    async recentlyActiveContacts(portalId, { sinceMs, afterId, properties, limit }) {
      const res = await call(
        portalId,
        'contacts.search',
        (c) =>
          c.crm.contacts.searchApi.doSearch({
            filterGroups: RECENT_ACTIVITY.map((propertyName) => ({
              filters: [
                { propertyName, operator: FilterOperatorEnum.Gte, value: String(sinceMs) },
                ...(afterId === null
                  ? []
                  : [
                      {
                        propertyName: 'hs_object_id',
                        operator: FilterOperatorEnum.Gt,
                        value: afterId,
                      },
                    ]),
              ],
            })),
            // The SDK types a sort as a string; HubSpot's JSON takes this object.
            sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' } as unknown as string],
            properties,
            limit,
            after: '0',
          }),
        'search',
      );
      return { results: res.results.map(toCrmObject), total: res.total };
    },

    async modifiedContacts(portalId, sinceMs, after) {
      const res = await call(
        portalId,
        'contacts.search',
        (c) =>
          c.crm.contacts.searchApi.doSearch({
            filterGroups: [
              {
                filters: [
                  {
                    propertyName: 'lastmodifieddate',
                    operator: FilterOperatorEnum.Gte,
                    value: String(sinceMs),
                  },
                ],
              },
            ],
            sorts: ['lastmodifieddate'],
            properties: ['hs_object_id'],
            limit: 200,
            after: after ?? '0',
          }),
        'search',
      );
      const next = res.paging?.next?.after;
      return { ids: res.results.map((r) => r.id), total: res.total, ...(next ? { next } : {}) };
    },

    readObjects: (portalId, type, ids, properties) =>
      readBatch(call, portalId, type, ids, properties),

    async readHistory(portalId, ids, properties) {
      const out = new Map<string, Record<string, PropertyHistory>>();
      if (properties.length === 0) return out;
      for (let i = 0; i < ids.length; i += HISTORY_BATCH) {
        const inputs = ids.slice(i, i + HISTORY_BATCH).map((id) => ({ id }));
        const res = await call(portalId, 'contacts.batchReadHistory', (c) =>
          c.crm.contacts.batchApi.read({
            inputs,
            properties: [],
            propertiesWithHistory: properties,
          }),
        );
        for (const r of res.results) {
          const history: Record<string, PropertyHistory> = {};
          for (const [name, values] of Object.entries(r.propertiesWithHistory ?? {}))
            history[name] = values
              .slice(0, HISTORY_KEPT)
              .map((v) => ({ value: v.value, timestamp: new Date(v.timestamp).toISOString() }));
          out.set(r.id, history);
        }
      }
      return out;
    },

    associations: (portalId, from, to, ids) => readAssociations(call, portalId, from, to, ids),

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
      const listed = (
        await call(portalId, 'properties.list', (c) => c.crm.properties.coreApi.getAll('contacts'))
      ).results;
      const existing = new Set(listed.map((p) => p.name));
      // A property from an older version lacking an option this one writes gets it added
      // (HubSpot's update sets the whole list: the options it has are kept, in their order).
      for (const def of properties) {
        const have = listed.find((p) => p.name === def.name);
        if (!have || !def.options) continue;
        const values = new Set(have.options.map((o) => o.value));
        const added = def.options.filter((o) => !values.has(o.value));
        if (added.length === 0) continue;
        await call(portalId, 'properties.update', (c) =>
          c.crm.properties.coreApi.update('contacts', def.name, {
            options: [
              ...have.options.map((o) => ({
                label: o.label,
                value: o.value,
                displayOrder: o.displayOrder,
                hidden: o.hidden,
              })),
              ...added.map((o, k) => ({
                label: o.label,
                value: o.value,
                displayOrder: have.options.length + k,
                hidden: false,
              })),
            ],
          }),
        );
      }
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

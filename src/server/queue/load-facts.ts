import type { CompiledModel } from '../domain/compile-model';
import type { CrmObject, Facts, PropertyHistory } from '../domain/facts';
import { LQ_PROPERTY_NAMES } from '../domain/lq-properties';
import { engagementObjects } from '@lead-qualifier/contract';
import type { CrmPort } from '../hubspot/crm-port';
import { readString } from '../domain/values';

/**
 * The contact properties to fetch: what the model reads, what we wrote (to diff against), and
 * the primary company's id.
 */
export function contactProperties(compiled: CompiledModel): string[] {
  return [...new Set([...compiled.reads.contact, ...LQ_PROPERTY_NAMES, PRIMARY_COMPANY])].sort();
}

/** HubSpot keeps the id of a contact's primary company here (the "Primary" association). */
const PRIMARY_COMPANY = 'associatedcompanyid';

/** The contact's primary company, else the first company it is associated with. */
function companyOf(contact: CrmObject, associated: readonly string[]): string | null {
  const primary = readString(contact.properties[PRIMARY_COMPANY]);
  return primary !== null && /^\d+$/.test(primary) ? primary : (associated[0] ?? null);
}

/**
 * Facts for a batch of contacts, with HubSpot's batch endpoints: one association read per
 * object type for the whole batch, then the associated objects read 100 at a time. Independent
 * reads run in parallel; the rate limiter keeps them under the portal's limit.
 */
export async function loadFacts(
  crm: CrmPort,
  portalId: number,
  contacts: CrmObject[],
  compiled: CompiledModel,
  /**
   * Associations already read, per contact and type (from a v3 GET with `associations`): a
   * type known for every contact needs no association request.
   */
  known: ReadonlyMap<string, ReadonlyMap<string, string[]>> = new Map(),
  /** Now (epoch ms): whether a counter's history is worth reading depends on its age. */
  now: number = Date.now(),
): Promise<Map<string, Facts>> {
  const ids = contacts.map((c) => c.id);
  const facts = new Map<string, Facts>(
    contacts.map((c) => [c.id, { contact: c, company: null, engagements: {} }]),
  );
  if (ids.length === 0) return facts;
  const links = (type: 'companies' | (typeof engagementObjects)[number]) => {
    const ready = ids.map((id) => known.get(id)?.get(type));
    return ready.every((r) => r !== undefined)
      ? Promise.resolve(new Map(ids.map((id, k) => [id, ready[k]!])))
      : crm.associations(portalId, 'contacts', type, ids);
  };

  // Earlier values only for the contacts whose signals gain from them (see `historyReads`).
  const { history } = compiled;
  const needHistory =
    history.properties.length === 0
      ? []
      : contacts.filter((c) => history.needed(c.properties, now)).map((c) => c.id);
  const [histories, companyLinks, ...engagementLinks] = await Promise.all([
    needHistory.length === 0
      ? Promise.resolve(new Map<string, Record<string, PropertyHistory>>())
      : crm.readHistory(portalId, needHistory, history.properties),
    links('companies'),
    ...engagementObjects.map((type) => links(type)),
  ]);
  for (const [id, h] of histories) {
    const f = facts.get(id);
    if (f) f.contact = { ...f.contact, propertiesWithHistory: h };
  }
  const unique = (links: Map<string, string[]>) => [...new Set([...links.values()].flat())];
  const companyIds = new Map(
    contacts.map((c) => [c.id, companyOf(c, companyLinks!.get(c.id) ?? [])]),
  );
  const [companies, ...engagements] = await Promise.all([
    crm.readObjects(
      portalId,
      'companies',
      [...new Set([...companyIds.values()].filter((id) => id !== null))],
      // Its name too: the card says which company the contact was scored with.
      [...new Set([...compiled.reads.company, 'name'])],
    ),
    ...engagementObjects.map((type, k) =>
      crm.readObjects(
        portalId,
        type,
        unique(engagementLinks[k]!),
        compiled.reads.engagements[type],
      ),
    ),
  ]);
  const companyById = new Map(companies!.map((c) => [c.id, c]));
  for (const [contactId, companyId] of companyIds) {
    const f = facts.get(contactId);
    if (f && companyId !== null) f.company = companyById.get(companyId) ?? null;
  }
  engagementObjects.forEach((type, k) => {
    const byId = new Map(engagements[k]!.map((e) => [e.id, e]));
    for (const [contactId, list] of engagementLinks[k]!) {
      const f = facts.get(contactId);
      if (f)
        f.engagements[type] = list
          .map((id) => byId.get(id))
          .filter((e): e is CrmObject => e !== undefined);
    }
  });
  return facts;
}

import type { EngagementObject, PropertySummary } from '@lead-qualifier/contract';
import type { CrmObject, PropertyHistory } from '../domain/facts';
import type { LqPropertyDef } from '../domain/lq-properties';

/** The HubSpot calls the app makes, in its own types. One implementation: hubspot-crm.ts. */
export interface CrmPort {
  listContacts(
    portalId: number,
    options: { after?: string; properties: string[]; limit: number },
  ): Promise<{ results: CrmObject[]; next?: string }>;
  /** How many contacts the portal holds (for progress), from one search request. */
  countContacts(portalId: number): Promise<number>;
  /**
   * The ids of contacts HubSpot changed at or after `sinceMs` (search on `lastmodifieddate`,
   * oldest change first, 200 a page) and how many there are in all; `next` pages on. Search
   * stops at 10,000 results: past that, `total` says so and the caller reads everything.
   */
  modifiedContacts(
    portalId: number,
    sinceMs: number,
    after?: string,
  ): Promise<{ ids: string[]; total: number; next?: string }>;
  /**
   * Contacts active at or after `sinceMs` (see RECENT_ACTIVITY), in id order, after the id
   * `afterId`: up to `limit` (≤ 200) with `properties`, and how many match in all. Paged by
   * id, not by search's cursor, so it goes past search's 10,000 results.
   */
  recentlyActiveContacts(
    portalId: number,
    options: { sinceMs: number; afterId: string | null; properties: string[]; limit: number },
  ): Promise<{ results: CrmObject[]; total: number }>;
  /** Objects by id; ids that do not exist (or were deleted) are left out. */
  readObjects(
    portalId: number,
    type: 'contacts' | 'companies' | EngagementObject,
    ids: string[],
    properties: string[],
  ): Promise<CrmObject[]>;
  /**
   * Earlier values of some contact properties, newest first, per contact id (HubSpot's
   * `propertiesWithHistory`, read 50 contacts at a time); contacts that do not exist are left out.
   */
  readHistory(
    portalId: number,
    ids: string[],
    properties: string[],
  ): Promise<Map<string, Record<string, PropertyHistory>>>;
  /** For each `from` id, the ids it is associated with (all pages). */
  associations(
    portalId: number,
    from: 'contacts' | EngagementObject,
    to: 'contacts' | 'companies' | EngagementObject,
    ids: string[],
  ): Promise<Map<string, string[]>>;
  /**
   * One contact with the ids of its associated objects, in one request (v3 GET with
   * `associations`); a type with more than one page of associations is left out of
   * `associations`, to be read with `associations()`. Null when the contact does not exist.
   */
  readContact(
    portalId: number,
    id: string,
    properties: string[],
    types: ReadonlyArray<'companies' | EngagementObject>,
  ): Promise<{ contact: CrmObject; associations: Map<string, string[]> } | null>;
  /**
   * Writes properties on up to 100 contacts: returns the ids HubSpot no longer has, and what it
   * refused (a property value, or a whole contact), which was left out so the rest was written.
   */
  updateContacts(
    portalId: number,
    updates: Array<{ id: string; properties: Record<string, string> }>,
  ): Promise<{ missing: string[]; refused: RefusedWrite[] }>;
  /** The portal's lifecycle stages in their order (admins add, remove and reorder them). */
  lifecycleStages(portalId: number): Promise<Array<{ value: string; label: string }>>;
  /** The portal's properties of one object type (the settings page's property pickers). */
  listProperties(
    portalId: number,
    type: 'contacts' | 'companies' | EngagementObject,
  ): Promise<PropertySummary[]>;
  /** Creates the property group and properties that are missing; idempotent. */
  ensureProperties(
    portalId: number,
    group: { name: string; label: string; displayOrder: number },
    properties: readonly LqPropertyDef[],
  ): Promise<{ created: string[] }>;
}

/** A write HubSpot refused: one property on the contacts that had it, or one whole contact. */
export interface RefusedWrite {
  /** The contacts whose write left it out. */
  contactIds: string[];
  /** The property refused, when HubSpot named it; absent when the whole contact was refused. */
  property?: string;
  message: string;
}

/** A HubSpot call that failed; `retryable` for 429, 5xx and network errors. */
export class HubSpotCallError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  readonly category: string | undefined;
  /** Properties a 400 names as invalid (VALIDATION_ERROR on a write). */
  readonly invalidProperties: string[];
  constructor(
    status: number,
    message: string,
    category?: string,
    invalidProperties: string[] = [],
  ) {
    super(message);
    this.name = 'HubSpotCallError';
    this.status = status;
    this.category = category;
    this.invalidProperties = invalidProperties;
    this.retryable = status === 0 || status === 429 || status >= 500;
  }
}

/** The portal's authorization is gone (refresh token revoked, app uninstalled). */
export class PortalUnauthorizedError extends Error {
  readonly portalId: number;
  constructor(portalId: number, message: string) {
    super(message);
    this.name = 'PortalUnauthorizedError';
    this.portalId = portalId;
  }
}

/**
 * What makes a contact recently active, each a date property HubSpot keeps on the contact:
 * its last logged sales activity (calls, e-mails, meetings, notes), its last visit, its last
 * form, its last click in a marketing e-mail, and its creation (a new lead). Search ORs at most
 * five filter groups: one each.
 */
export const RECENT_ACTIVITY = [
  'notes_last_updated',
  'hs_analytics_last_visit_timestamp',
  'recent_conversion_date',
  'hs_email_last_click_date',
  'createdate',
] as const;

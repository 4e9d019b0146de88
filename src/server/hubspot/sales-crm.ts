import { z } from 'zod';
import type { CrmObject } from '../domain/facts';
import { HubSpotCallError } from './crm-port';
import { readAssociations, readBatch, toCrmObject } from './hubspot-crm';
import { createRequestGate, type RequestGateOptions } from './request-gate';

/** A HubSpot user who can own records: from the owners API, with seats and availability. */
export interface Owner {
  id: string;
  userId: number | null;
  email: string;
  name: string;
  teams: Array<{ id: string; name: string }>;
}

/** A lead as the hand-off reads it. */
export interface LeadRecord {
  id: string;
  name: string;
  stage: string;
  pipeline: string;
  ownerId: string | null;
  disqualificationReason: string | null;
  disqualificationNote: string | null;
  createdAt: number | null;
  /** The lead's primary contact, when HubSpot names it. */
  contactId: string | null;
}

export interface NewLead {
  name: string;
  contactId: string;
  companyId: string | null;
  ownerId: string | null;
  type: string;
  label: string;
}

export interface NewTask {
  contactId: string;
  ownerId: string | null;
  subject: string;
  body: string;
  dueAt: number;
}

/** The lead properties the hand-off reads. */
export const LEAD_PROPERTIES = [
  'hs_lead_name',
  'hs_pipeline',
  'hs_pipeline_stage',
  'hubspot_owner_id',
  'hs_lead_disqualification_reason',
  'hs_lead_disqualification_note',
  'hs_createdate',
  'hs_primary_contact_id',
] as const;

/**
 * HUBSPOT_DEFINED association types of a new lead: to its (primary) contact, 578, required; to
 * its company, 580 (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide).
 */
const LEAD_TO_PRIMARY_CONTACT = 578;
const LEAD_TO_PRIMARY_COMPANY = 580;
/** A task's contact (HubSpot's default task → contact type). */
const TASK_TO_CONTACT = 204;
/** A note's contact (202) and lead (855, HUBSPOT_DEFINED note → lead). */
const NOTE_TO_CONTACT = 202;
const NOTE_TO_LEAD = 855;

/** The user provisioning API's users with their seats (2026-09 spec; no SDK model yet). */
const usersPage = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      seatNames: z.array(z.string()).optional(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

const readTime = (v: string | null | undefined) => {
  const t = v ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : null;
};

export function toLeadRecord(o: CrmObject): LeadRecord {
  const p = o.properties;
  return {
    id: o.id,
    name: p['hs_lead_name'] ?? '',
    stage: p['hs_pipeline_stage'] ?? '',
    pipeline: p['hs_pipeline'] ?? '',
    ownerId: p['hubspot_owner_id'] || null,
    disqualificationReason: p['hs_lead_disqualification_reason'] || null,
    disqualificationNote: p['hs_lead_disqualification_note'] || null,
    createdAt: readTime(p['hs_createdate']),
    contactId: p['hs_primary_contact_id'] || null,
  };
}

/** The calls the sales hand-off makes: owners, seats, availability, leads, tasks. */
export interface SalesPort {
  owners(portalId: number): Promise<Owner[]>;
  /** Seat names per user id; null when the portal did not grant the users scope. */
  seats(portalId: number): Promise<Map<number, string[]> | null>;
  /** Users marked away in HubSpot, by user id; null when the portal did not grant users. */
  awayUsers(portalId: number): Promise<Set<number> | null>;
  /** The lead pipelines' stages, in order, with their labels. */
  leadStages(portalId: number): Promise<Array<{ id: string; label: string; pipeline: string }>>;
  /** The ids of the leads associated with each contact. */
  leadIdsOf(portalId: number, contactIds: string[]): Promise<Map<string, string[]>>;
  readLeads(portalId: number, ids: string[]): Promise<LeadRecord[]>;
  /** The contacts each lead is associated with. */
  contactsOfLeads(portalId: number, leadIds: string[]): Promise<Map<string, string[]>>;
  createLead(portalId: number, lead: NewLead): Promise<LeadRecord>;
  updateLead(portalId: number, id: string, properties: Record<string, string>): Promise<void>;
  createTask(portalId: number, task: NewTask): Promise<string>;
  /** A note on the contact (and its lead, when it has one). */
  createNote(
    portalId: number,
    note: { contactId: string; leadId: string | null; body: string; at: number },
  ): Promise<string>;
  /**
   * Each company's owner and the owners of its deals that are not closed (newest deal first),
   * in batch requests; `deals` false skips the deals. Companies HubSpot does not have are left out.
   */
  accountOwners(
    portalId: number,
    companyIds: string[],
    deals: boolean,
  ): Promise<Map<string, { companyOwner: string | null; dealOwners: string[] }>>;
}

/** Every result of a listing, following HubSpot's `paging.next.after` cursor page by page. */
async function everyPage<T>(
  page: (
    after: string | undefined,
  ) => Promise<{ results: T[]; paging?: { next?: { after?: string } } }>,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const p = await page(after);
    out.push(...p.results);
    after = p.paging?.next?.after;
  } while (after);
  return out;
}

/** What `read` answers, or null when the portal did not grant the scope it needs (a 403). */
async function unlessForbidden<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof HubSpotCallError && error.status === 403) return null;
    throw error;
  }
}

/** SalesPort on @hubspot/api-client, through the same request gate as every HubSpot call. */
export function createSalesCrm(options: RequestGateOptions): SalesPort {
  const call = createRequestGate(options);

  const readLeads = async (portalId: number, ids: string[]) =>
    (await readBatch(call, portalId, 'leads', ids, [...LEAD_PROPERTIES])).map(toLeadRecord);

  return {
    async owners(portalId) {
      const owners = await everyPage((after) =>
        call(portalId, 'owners.list', (c) =>
          c.crm.owners.ownersApi.getPage(undefined, after, 500, false),
        ),
      );
      return owners.map((o) => ({
        id: o.id,
        userId: o.userId ?? null,
        email: o.email ?? '',
        name: [o.firstName, o.lastName].filter(Boolean).join(' ') || (o.email ?? o.id),
        teams: (o.teams ?? []).map((t) => ({ id: t.id, name: t.name })),
      }));
    },

    seats: (portalId) =>
      unlessForbidden(async () => {
        const users = await everyPage((after) =>
          call(portalId, 'users.list', async (c) => {
            const res = await c.apiRequest({
              method: 'GET',
              path: '/settings/users/2026-09',
              qs: { limit: 100, ...(after ? { after } : {}) },
            });
            const body: unknown = await res.json().catch(() => ({}));
            if (!res.ok) throw { code: res.status, body };
            return usersPage.parse(body);
          }),
        );
        return new Map(users.map((u) => [Number(u.id), u.seatNames ?? []]));
      }),

    awayUsers: (portalId) =>
      unlessForbidden(async () => {
        const users = await everyPage((after) =>
          call(portalId, 'users.objects', (c) =>
            c.crm.objects.basicApi.getPage('users', 100, after, [
              'hs_internal_user_id',
              'hs_availability_status',
            ]),
          ),
        );
        return new Set(
          users
            .filter((u) => u.properties['hs_availability_status'] === 'away')
            .map((u) => Number(u.properties['hs_internal_user_id'])),
        );
      }),

    async leadStages(portalId) {
      const res = await call(portalId, 'pipelines.leads', (c) =>
        c.crm.pipelines.pipelinesApi.getAll('leads'),
      );
      return [...res.results]
        .sort((a, b) => a.displayOrder - b.displayOrder)
        .flatMap((p) =>
          [...p.stages]
            .sort((a, b) => a.displayOrder - b.displayOrder)
            .map((s) => ({ id: s.id, label: s.label, pipeline: p.id })),
        );
    },

    leadIdsOf: (portalId, contactIds) =>
      readAssociations(call, portalId, 'contacts', 'leads', contactIds),

    readLeads,

    contactsOfLeads: (portalId, leadIds) =>
      readAssociations(call, portalId, 'leads', 'contacts', leadIds),

    async createLead(portalId, lead) {
      const res = await call(portalId, 'leads.create', (c) =>
        c.crm.objects.basicApi.create('leads', {
          properties: {
            hs_lead_name: lead.name,
            hs_lead_type: lead.type,
            hs_lead_label: lead.label,
            ...(lead.ownerId ? { hubspot_owner_id: lead.ownerId } : {}),
          },
          associations: [
            {
              to: { id: lead.contactId },
              types: [
                {
                  associationCategory: 'HUBSPOT_DEFINED' as never,
                  associationTypeId: LEAD_TO_PRIMARY_CONTACT,
                },
              ],
            },
            ...(lead.companyId
              ? [
                  {
                    to: { id: lead.companyId },
                    types: [
                      {
                        associationCategory: 'HUBSPOT_DEFINED' as never,
                        associationTypeId: LEAD_TO_PRIMARY_COMPANY,
                      },
                    ],
                  },
                ]
              : []),
          ],
        }),
      );
      // The create answers the properties written; the stage HubSpot gave it is read back.
      const [read] = await readLeads(portalId, [res.id]);
      return read ?? toLeadRecord(toCrmObject(res));
    },

    async updateLead(portalId, id, properties) {
      await call(portalId, 'leads.update', (c) =>
        c.crm.objects.basicApi.update('leads', id, { properties }),
      );
    },

    async createTask(portalId, task) {
      const res = await call(portalId, 'tasks.create', (c) =>
        c.crm.objects.basicApi.create('tasks', {
          properties: {
            hs_timestamp: new Date(task.dueAt).toISOString(),
            hs_task_subject: task.subject,
            hs_task_body: task.body,
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: 'HIGH',
            hs_task_type: 'CALL',
            ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
          },
          associations: [
            {
              to: { id: task.contactId },
              types: [
                {
                  associationCategory: 'HUBSPOT_DEFINED' as never,
                  associationTypeId: TASK_TO_CONTACT,
                },
              ],
            },
          ],
        }),
      );
      return res.id;
    },

    async createNote(portalId, note) {
      const to = (id: string, typeId: number) => ({
        to: { id },
        types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: typeId }],
      });
      const res = await call(portalId, 'notes.create', (c) =>
        c.crm.objects.basicApi.create('notes', {
          properties: { hs_timestamp: new Date(note.at).toISOString(), hs_note_body: note.body },
          associations: [
            to(note.contactId, NOTE_TO_CONTACT),
            ...(note.leadId ? [to(note.leadId, NOTE_TO_LEAD)] : []),
          ],
        }),
      );
      return res.id;
    },

    async accountOwners(portalId, companyIds, deals) {
      const out = new Map<string, { companyOwner: string | null; dealOwners: string[] }>();
      const ids = [...new Set(companyIds)];
      for (const company of await readBatch(call, portalId, 'companies', ids, ['hubspot_owner_id']))
        out.set(company.id, {
          companyOwner: company.properties['hubspot_owner_id'] || null,
          dealOwners: [],
        });
      if (!deals || out.size === 0) return out;
      try {
        const dealsOf = await readAssociations(call, portalId, 'companies', 'deals', [
          ...out.keys(),
        ]);
        const dealIds = [...new Set([...dealsOf.values()].flat())];
        const read = new Map(
          (
            await readBatch(call, portalId, 'deals', dealIds, [
              'hubspot_owner_id',
              'dealstage',
              'hs_is_closed',
              'createdate',
            ])
          ).map((d) => [d.id, d.properties]),
        );
        for (const [companyId, ids] of dealsOf) {
          const open = ids
            .flatMap((id) => {
              const p = read.get(id);
              return p &&
                p['hs_is_closed'] !== 'true' &&
                p['dealstage'] !== 'closedwon' &&
                p['dealstage'] !== 'closedlost' &&
                p['hubspot_owner_id']
                ? [{ owner: p['hubspot_owner_id'], at: Date.parse(p['createdate'] ?? '') || 0 }]
                : [];
            })
            .sort((a, b) => b.at - a.at);
          out.get(companyId)!.dealOwners = open.map((d) => d.owner);
        }
      } catch (error) {
        // Deals are an optional scope: without it, no deal-owner routing.
        if (!(error instanceof HubSpotCallError) || error.status !== 403) throw error;
      }
      return out;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { HandOffMode, HandOffSettings, RejectionReason } from '@lead-qualifier/contract';
import {
  chooseOwner,
  route,
  routedByText,
  type Candidate,
  type RoutingInput,
} from '../domain/routing';
import type { CrmObject } from '../domain/facts';
import type { CrmPort } from '../hubspot/crm-port';
import { HubSpotCallError } from '../hubspot/crm-port';
import type { LeadRecord, SalesPort } from '../hubspot/sales-crm';
import type { Logger } from '../logger';
import { feedbackRecord, type FeedbackStore } from '../storage/feedback-store';
import type { HandOffRecord, HandOffStore } from '../storage/handoff-store';
import type { InstallationStore } from '../storage/installation-store';
import type { StoredScore } from '../storage/score-store';
import type { ScoreStore } from '../storage/score-store';
import type { Producer } from './producer';

export interface HandOffDeps {
  crm: CrmPort;
  sales: SalesPort;
  handOffs: HandOffStore;
  scores: ScoreStore;
  feedback: FeedbackStore;
  installations: InstallationStore;
  producer: Pick<Producer, 'sqlFeedback' | 'firstTouchCheck'>;
  logger: Logger;
  clock: () => number;
}

/** How long the portal's owners, seats and availability are trusted before reading them again. */
const OWNERS_MAX_AGE_MS = 5 * 60_000;
/** How long one hand-off may hold its contact (its HubSpot calls take well under this). */
const LOCK_MS = 60_000;

/**
 * Leads need the Leads object, which comes with the portal's subscription: the app asks for
 * its scopes as optional, and HubSpot grants them only where the portal has it.
 */
export async function handOffMode(deps: HandOffDeps, portalId: number): Promise<HandOffMode> {
  const installation = await deps.installations.get(portalId);
  const scopes = installation?.scopes ?? [];
  if (scopes.includes('crm.objects.leads.write') && scopes.includes('crm.objects.leads.read'))
    return { mode: 'leads', reason: 'This portal has HubSpot Leads: each hand-off is a Lead.' };
  return {
    mode: 'tasks',
    reason:
      'This portal did not grant access to HubSpot Leads (they come with Sales Hub seats), so each hand-off is a task for the owner, who also becomes the contact owner.',
  };
}

/** The portal's owners as routing sees them (seats, away, open leads), cached for minutes. */
export async function candidates(
  deps: HandOffDeps,
  portalId: number,
  force = false,
): Promise<Map<string, Candidate & { email: string; userId: number | null }>> {
  let cached = await deps.handOffs.cachedOwners(portalId);
  if (!cached || force || deps.clock() - cached.at > OWNERS_MAX_AGE_MS) {
    const leads = (await handOffMode(deps, portalId)).mode === 'leads';
    const [owners, seats, away, stages] = await Promise.all([
      deps.sales.owners(portalId),
      deps.sales.seats(portalId),
      deps.sales.awayUsers(portalId),
      leads ? deps.sales.leadStages(portalId) : Promise.resolve([]),
    ]);
    cached = {
      at: deps.clock(),
      stages: stages.map((s) => ({ id: s.id, label: s.label })),
      owners: owners.map((o) => ({
        ...o,
        seated: seats === null || o.userId === null ? null : (seats.get(o.userId) ?? []).length > 0,
        away: o.userId !== null && (away?.has(o.userId) ?? false),
      })),
    };
    await deps.handOffs.cacheOwners(portalId, cached);
  }
  const open = new Map<string, number>();
  for (const r of await deps.handOffs.open(portalId))
    if (r.ownerId) open.set(r.ownerId, (open.get(r.ownerId) ?? 0) + 1);
  return new Map(
    cached.owners.map((o) => [
      o.id,
      {
        id: o.id,
        name: o.name,
        email: o.email,
        userId: o.userId,
        teamIds: o.teams.map((t) => t.id),
        seated: o.seated,
        away: o.away,
        openLeads: open.get(o.id) ?? 0,
      },
    ]),
  );
}

/** The contact and company properties routing and the lead's name read. */
function routingProperties(settings: HandOffSettings) {
  const contact = new Set([
    'firstname',
    'lastname',
    'email',
    'lifecyclestage',
    'hs_analytics_source',
    'associatedcompanyid',
  ]);
  const company = new Set<string>();
  for (const rule of settings.rules)
    if (rule.kind === 'territory')
      for (const c of rule.when) (c.object === 'contact' ? contact : company).add(c.property);
  return { contact: [...contact], company: [...company] };
}

type Routable = RoutingInput & { companyId: string | null };

/**
 * What routing reads of contacts: their properties, their companies', the accounts' owners —
 * in batch requests (a preview of a hundred contacts is a handful of requests).
 */
export async function routingInputs(
  deps: HandOffDeps,
  portalId: number,
  contactIds: string[],
  settings: HandOffSettings,
): Promise<Map<string, Routable>> {
  const props = routingProperties(settings);
  const contacts = await deps.crm.readObjects(portalId, 'contacts', contactIds, props.contact);
  // The primary company, as HubSpot keeps it on the contact.
  const companyOf = (c: CrmObject) => c.properties['associatedcompanyid'] || null;
  const companyIds = [...new Set(contacts.flatMap((c) => companyOf(c) ?? []))];
  const companies = new Map(
    companyIds.length > 0 && props.company.length > 0
      ? (await deps.crm.readObjects(portalId, 'companies', companyIds, props.company)).map((c) => [
          c.id,
          c.properties,
        ])
      : [],
  );
  const rules = new Set(settings.rules.map((r) => r.kind));
  const accounts =
    companyIds.length > 0 && (rules.has('account_owner') || rules.has('deal_owner'))
      ? await deps.sales.accountOwners(portalId, companyIds, rules.has('deal_owner'))
      : new Map<string, { companyOwner: string | null; dealOwners: string[] }>();
  return new Map(
    contacts.map((c) => {
      const companyId = companyOf(c);
      const account = companyId ? accounts.get(companyId) : undefined;
      return [
        c.id,
        {
          contact: c.properties,
          company: companyId ? (companies.get(companyId) ?? null) : null,
          companyId,
          companyOwner: account?.companyOwner ?? null,
          dealOwners: account?.dealOwners ?? [],
        },
      ];
    }),
  );
}

/** What routing reads of one contact (null when HubSpot no longer has it). */
export async function routingInput(
  deps: HandOffDeps,
  portalId: number,
  contactId: string,
  settings: HandOffSettings,
): Promise<Routable | null> {
  return (await routingInputs(deps, portalId, [contactId], settings)).get(contactId) ?? null;
}

/** "Jane Doe", or the e-mail, or the id: what HubSpot shows as the lead's name. */
function leadName(contact: RoutingInput['contact'], contactId: string): string {
  const name = [contact['firstname'], contact['lastname']].filter(Boolean).join(' ').trim();
  return name || contact['email'] || `Contact ${contactId}`;
}

/** Hot for an A-grade lead with a high score, warm for A/B, cold otherwise. */
export function leadLabel(q: Pick<StoredScore, 'grade' | 'score'> | null): string {
  if (!q) return 'WARM';
  if (q.grade === 'A' && q.score >= 70) return 'HOT';
  return q.grade === 'A' || q.grade === 'B' ? 'WARM' : 'COLD';
}

/** The statuses the admin's trigger hands off (an MQL only when graded A or B). */
export const triggerStatuses = (settings: HandOffSettings): readonly string[] =>
  settings.trigger === 'mql_ab' ? ['mql', 'ready', 'sql'] : ['ready', 'sql'];

/** Whether the qualification calls for a hand-off under the admin's trigger. */
export function triggers(
  settings: HandOffSettings,
  q: Pick<StoredScore, 'status' | 'grade'>,
): boolean {
  if (!settings.enabled || settings.trigger === 'manual') return false;
  if (!triggerStatuses(settings).includes(q.status)) return false;
  return settings.trigger === 'ready' || q.grade === 'A' || q.grade === 'B';
}

/** What a lead's stage says of it, by the admin's stage map. */
const stageOutcome = (settings: HandOffSettings, stage: string): HandOffRecord['outcome'] =>
  settings.stages.qualified.includes(stage)
    ? 'qualified'
    : settings.stages.disqualified.includes(stage)
      ? 'disqualified'
      : 'open';

type HandOffResult = { done: 'created' | 'attached'; record: HandOffRecord } | { skipped: string };

/**
 * Hands one contact to sales: never two open leads for it. One run per contact at a time
 * (a lock across workers); a lead we made or found before is kept; a contact that already has
 * an open lead in HubSpot (made by a person or another tool) gets that one; else the owner is
 * routed and the lead created (or, without Leads, a task for the owner who becomes the
 * contact owner).
 */
export async function handOff(
  deps: HandOffDeps,
  portalId: number,
  contactId: string,
): Promise<HandOffResult> {
  const token = randomUUID();
  if (!(await deps.handOffs.lock(portalId, contactId, token, LOCK_MS)))
    throw new HandOffBusyError(contactId);
  try {
    return await handOffLocked(deps, portalId, contactId);
  } finally {
    await deps.handOffs.unlock(portalId, contactId, token);
  }
}

/** Another run holds the contact's hand-off: this job is retried after it. */
export class HandOffBusyError extends Error {
  constructor(contactId: string) {
    super(`contact ${contactId} is being handed off by another run`);
    this.name = 'HandOffBusyError';
  }
}

async function handOffLocked(
  deps: HandOffDeps,
  portalId: number,
  contactId: string,
): Promise<HandOffResult> {
  const now = deps.clock();
  const settings = await deps.handOffs.settings(portalId);
  const existing = await deps.handOffs.get(portalId, contactId);
  // A task hand-off saved before its task was made (the run stopped there): the task is made.
  if (existing && existing.outcome === 'open' && existing.mode === 'tasks' && !existing.taskId)
    return { done: 'created', record: await makeTask(deps, portalId, existing) };
  if (existing && existing.outcome === 'open') return { skipped: 'already handed off' };
  // Sales qualified it: the contact is theirs (a disqualified one may come back, requalified).
  if (existing && existing.outcome === 'qualified') return { skipped: 'qualified by sales' };
  const { mode } = await handOffMode(deps, portalId);
  const q = await deps.scores.get(portalId, contactId);
  const people = await candidates(deps, portalId);
  const ownerName = (id: string | null) => (id ? (people.get(id)?.name ?? `owner ${id}`) : null);
  const base = {
    contactId,
    mode,
    taskId: null,
    handedOffAt: now,
    firstTouchDueAt: now + settings.firstTouchHours * 3_600_000,
    firstTouchAt: null,
    breachedAt: null,
    outcome: 'open' as const,
    outcomeAt: null,
  };

  if (mode === 'leads') {
    // A lead HubSpot already has for the contact, open: attached to, never duplicated.
    const leadIds = (await deps.sales.leadIdsOf(portalId, [contactId])).get(contactId) ?? [];
    const open = (await deps.sales.readLeads(portalId, leadIds)).filter(
      (l) => stageOutcome(settings, l.stage) === 'open',
    );
    if (open.length > 0) {
      const lead = open.sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0))[0]!;
      const record: HandOffRecord = {
        ...base,
        leadId: lead.id,
        ownerId: lead.ownerId,
        ownerName: ownerName(lead.ownerId),
        routedBy: 'the lead already open in HubSpot',
        origin: 'attached',
        stage: lead.stage,
        source:
          (await deps.crm.readContact(portalId, contactId, ['hs_analytics_source'], []))?.contact
            .properties['hs_analytics_source'] || 'UNKNOWN',
      };
      await deps.handOffs.save(portalId, record);
      await deps.producer.firstTouchCheck(portalId, contactId, record.firstTouchDueAt);
      return { done: 'attached', record };
    }
  }

  const input = await routingInput(deps, portalId, contactId, settings);
  if (!input) return { skipped: 'contact gone' };
  const source = input.contact['hs_analytics_source'] || 'UNKNOWN';
  // An owner HubSpot refuses (a seat taken away since we read the seats) is skipped, and the
  // next one tried: the owners are read again first.
  let pool = people;
  for (let attempt = 0; ; attempt++) {
    const { ownerId, routedBy } = await chooseOwner(
      route(input, settings, pool),
      (rotation) => deps.handOffs.nextTurn(portalId, rotation),
      settings.weighByLoad,
      pool,
    );
    const name = ownerName(ownerId);
    try {
      if (mode === 'leads') {
        const lead = await deps.sales.createLead(portalId, {
          name: leadName(input.contact, contactId),
          contactId,
          companyId: input.companyId,
          ownerId,
          type:
            input.contact['lifecyclestage'] === 'customer' ? 'EXISTING_BUSINESS' : 'NEW_BUSINESS',
          label: leadLabel(q),
        });
        const record: HandOffRecord = {
          ...base,
          leadId: lead.id,
          ownerId,
          ownerName: name,
          routedBy,
          origin: 'created',
          stage: lead.stage || null,
          source,
        };
        await deps.handOffs.save(portalId, record);
        await deps.producer.firstTouchCheck(portalId, contactId, record.firstTouchDueAt);
        await whyNote(deps, portalId, record, q);
        deps.logger.info(
          { portalId, contactId, leadId: lead.id, ownerId },
          routedByText(name, routedBy),
        );
        return { done: 'created', record };
      }
      // The owner first (a retry sets it again, harmlessly), then the hand-off is saved, then
      // its task made: a run that stops in between makes the task when retried, never two.
      if (ownerId)
        await deps.crm.updateContacts(portalId, [
          { id: contactId, properties: { hubspot_owner_id: ownerId } },
        ]);
      const pending: HandOffRecord = {
        ...base,
        leadId: null,
        ownerId,
        ownerName: name,
        routedBy,
        origin: 'created',
        stage: null,
        source,
      };
      await deps.handOffs.save(portalId, pending);
      const record = await makeTask(deps, portalId, pending);
      return { done: 'created', record };
    } catch (error) {
      const refusedOwner =
        error instanceof HubSpotCallError &&
        error.status === 400 &&
        ownerId !== null &&
        error.invalidProperties.includes('hubspot_owner_id');
      if (!refusedOwner || attempt >= 2) throw error;
      deps.logger.warn(
        { portalId, contactId, ownerId, reason: (error as Error).message },
        'HubSpot refused the routed owner; routing again with fresh seats, without them',
      );
      // Seats read again; whatever they say, HubSpot's refusal stands for this owner for now.
      await candidates(deps, portalId, true);
      await deps.handOffs.markUnseated(portalId, ownerId!);
      pool = await candidates(deps, portalId);
    }
  }
}

/** The reasons the contact qualified, in words: what the rep reads first. */
function whyText(q: StoredScore | null): string {
  const reasons = q?.ledger
    .filter((e) => e.points > 0)
    .sort((a, b) => b.points - a.points)
    .slice(0, 3)
    .map((e) => `${e.label} (${e.evidence})`);
  return reasons && reasons.length > 0 ? reasons.join('; ') : 'see the Lead score card';
}

/**
 * A note on the new lead and its contact with why it qualified and who routed it where, so the
 * rep reads it in the workspace without opening the card. Best effort: the lead stands without
 * it (the contact's lq_top_reasons says the same), and a failure is logged, not retried.
 */
async function whyNote(
  deps: HandOffDeps,
  portalId: number,
  record: HandOffRecord,
  q: StoredScore | null,
): Promise<void> {
  try {
    await deps.sales.createNote(portalId, {
      contactId: record.contactId,
      leadId: record.leadId,
      at: record.handedOffAt,
      body: `Lead Qualifier handed this contact to sales: score ${q?.score ?? '–'}, grade ${q?.grade ?? '–'}. Why: ${whyText(q)}. ${routedByText(record.ownerName, record.routedBy)}.`,
    });
  } catch (error) {
    deps.logger.warn(
      { portalId, contactId: record.contactId, err: (error as Error).message },
      'the note with the reasons was not added to the lead',
    );
  }
}

/** The owner's follow-up task for a hand-off without Leads, with why the contact qualified. */
async function makeTask(
  deps: HandOffDeps,
  portalId: number,
  pending: HandOffRecord,
): Promise<HandOffRecord> {
  const [q, read] = await Promise.all([
    deps.scores.get(portalId, pending.contactId),
    deps.crm.readContact(portalId, pending.contactId, ['firstname', 'lastname', 'email'], []),
  ]);
  const name = leadName(read?.contact.properties ?? {}, pending.contactId);
  const taskId = await deps.sales.createTask(portalId, {
    contactId: pending.contactId,
    ownerId: pending.ownerId,
    subject: `Follow up: ${name} is ready for sales`,
    body: `Lead Qualifier handed this contact to sales (${pending.routedBy}). Why: ${whyText(q)}.`,
    dueAt: pending.firstTouchDueAt,
  });
  const record = { ...pending, taskId };
  await deps.handOffs.save(portalId, record);
  await deps.producer.firstTouchCheck(portalId, pending.contactId, record.firstTouchDueAt);
  return record;
}

/** HubSpot's disqualification reasons, as the feedback report counts rejections. */
const REASONS: Record<string, RejectionReason> = {
  NOT_A_GOOD_FIT: 'not_a_fit',
  NO_BUDGET: 'no_budget',
  BAD_TIMING: 'bad_timing',
  NOT_THE_DECISION_MAKER: 'no_authority',
  COMPETITOR: 'not_a_fit',
  NO_RESPONSE: 'other',
  OTHER: 'other',
};

/**
 * What sales did with the leads: a stage out of the untouched ones is the first touch; a
 * qualified stage is an accepted SQL, a disqualified one a rejection with its reason (stored
 * and written exactly as the card's), and leaving them again reopens the lead.
 */
export async function applyLeadChanges(
  deps: HandOffDeps,
  portalId: number,
  leads: readonly LeadRecord[],
): Promise<{ changed: number; verdicts: number }> {
  const settings = await deps.handOffs.settings(portalId);
  const contacts = await deps.handOffs.contactsOfLeads(
    portalId,
    leads.map((l) => l.id),
  );
  const now = deps.clock();
  let changed = 0;
  let verdicts = 0;
  let people: Awaited<ReturnType<typeof candidates>> | null = null;
  for (const lead of leads) {
    const contactId = contacts.get(lead.id);
    if (!contactId) continue;
    const record = await deps.handOffs.get(portalId, contactId);
    if (!record || record.leadId !== lead.id) continue;
    const outcome = stageOutcome(settings, lead.stage);
    const touched = !settings.stages.untouched.includes(lead.stage);
    const next: HandOffRecord = {
      ...record,
      stage: lead.stage,
      ownerId: lead.ownerId,
      firstTouchAt: record.firstTouchAt ?? (touched ? now : null),
      outcome,
      outcomeAt: outcome === record.outcome ? record.outcomeAt : now,
    };
    if (next.ownerId !== record.ownerId) {
      people ??= await candidates(deps, portalId);
      next.ownerName = next.ownerId ? (people.get(next.ownerId)?.name ?? null) : null;
      next.routedBy = 'reassigned in HubSpot';
    }
    if (JSON.stringify(next) === JSON.stringify(record)) continue;
    await deps.handOffs.save(portalId, next);
    changed++;
    if (outcome === record.outcome || outcome === 'open') continue;
    const q = await deps.scores.get(portalId, contactId);
    if (!q) continue;
    people ??= await candidates(deps, portalId);
    const owner = lead.ownerId ? people.get(lead.ownerId) : undefined;
    const feedback = feedbackRecord(q, {
      decision: outcome === 'qualified' ? 'accepted' : 'rejected',
      reason:
        outcome === 'qualified' ? null : (REASONS[lead.disqualificationReason ?? ''] ?? 'other'),
      note:
        outcome === 'qualified'
          ? `Lead qualified in HubSpot (${lead.name}).`
          : lead.disqualificationNote ||
            `Lead disqualified in HubSpot${lead.disqualificationReason ? `: ${lead.disqualificationReason}` : ''}.`,
      by: { userId: owner?.userId ?? 0, userEmail: owner?.email || null },
      at: now,
    });
    await deps.feedback.add(portalId, feedback);
    await deps.producer.sqlFeedback(portalId, contactId, feedback.id);
    verdicts++;
  }
  return { changed, verdicts };
}

/**
 * Contacts deleted or merged away in HubSpot: a lead that moved with a merge to the surviving
 * contact is kept for it (or, if that contact has its own open lead, closed as a duplicate); a
 * deleted contact's open lead is closed, saying why. HubSpot's leads are never deleted.
 */
export async function afterContactsDeleted(
  deps: HandOffDeps,
  portalId: number,
  contactIds: readonly string[],
): Promise<{ moved: number; closed: number }> {
  const records = (
    await Promise.all(contactIds.map((id) => deps.handOffs.get(portalId, id)))
  ).filter((r): r is HandOffRecord => r !== null);
  if (records.length === 0) return { moved: 0, closed: 0 };
  const installed = (await deps.installations.get(portalId))?.status === 'active';
  const settings = await deps.handOffs.settings(portalId);
  const open = records.filter((r) => r.outcome === 'open' && r.leadId !== null);
  const linked =
    installed && open.length > 0
      ? await deps.sales.contactsOfLeads(
          portalId,
          open.map((r) => r.leadId!),
        )
      : new Map<string, string[]>();
  const gone = new Set(contactIds);
  const candidatesAlive = [...new Set([...linked.values()].flat())].filter((id) => !gone.has(id));
  const alive = new Set(
    candidatesAlive.length > 0
      ? (await deps.crm.readObjects(portalId, 'contacts', candidatesAlive, ['hs_object_id'])).map(
          (c) => c.id,
        )
      : [],
  );
  let moved = 0;
  let closed = 0;
  for (const record of records) {
    await deps.handOffs.remove(portalId, record.contactId);
    if (!installed || record.outcome !== 'open' || record.leadId === null) continue;
    const survivor = (linked.get(record.leadId) ?? []).find((id) => alive.has(id));
    const theirs = survivor ? await deps.handOffs.get(portalId, survivor) : null;
    if (survivor && (!theirs || theirs.outcome !== 'open')) {
      await deps.handOffs.save(portalId, { ...record, contactId: survivor });
      moved++;
      continue;
    }
    const note = survivor
      ? `Lead Qualifier closed this lead: its contact was merged into contact ${survivor}, which has its own open lead.`
      : 'Lead Qualifier closed this lead: its contact was deleted in HubSpot.';
    try {
      await deps.sales.updateLead(portalId, record.leadId, {
        hs_pipeline_stage: settings.stages.disqualified[0]!,
        hs_lead_disqualification_reason: 'OTHER',
        hs_lead_disqualification_note: note,
      });
      closed++;
    } catch (error) {
      // HubSpot deleted the lead with its contact: nothing left to close.
      if (!(error instanceof HubSpotCallError) || error.status !== 404) throw error;
    }
  }
  return { moved, closed };
}

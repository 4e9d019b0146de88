import { compileModel } from '../domain/compile-model';
import type { CrmObject } from '../domain/facts';
import { nextDecisionChange } from '../domain/next-change';
import { qualify } from '../domain/qualify';
import { planWrites } from '../domain/write-back';
import { inPortal } from '../domain/lifecycle';
import { readString, readTime } from '../domain/values';
import { HubSpotCallError, type CrmPort, type RefusedWrite } from '../hubspot/crm-port';
import { DEFAULT_WORDING, wordingFrom, type Wording } from '../domain/wording';
import type { PropertyLabelStore } from '../storage/property-label-store';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { ModelStore } from '../storage/model-store';
import type { Producer } from './producer';
import type { StatusLog } from '../storage/status-log';
import type { StatusChange } from '../domain/funnel';
import type { Scored, ScoreStore } from '../storage/score-store';
import type { ActivityStore } from '../storage/activity-store';
import type { LifecycleStageStore, PortalStages } from '../storage/lifecycle-stage-store';
import { loadFacts } from './load-facts';
import type { HandOffStore } from '../storage/handoff-store';
import { triggers } from './handoff';
import type { Grade, Status } from '@lead-qualifier/contract';

export interface ScoringDeps {
  crm: CrmPort;
  models: ModelStore;
  scores: ScoreStore;
  logger: Logger;
  metrics?: Metrics;
  clock: () => number;
  /** Schedules SLA checks for contacts that just became SQL (absent: none are scheduled). */
  producer?: Pick<Producer, 'slaCheck' | 'handOff'>;
  /** The hand-off settings: a contact that reaches the trigger is handed to sales. */
  handOffs?: Pick<HandOffStore, 'settings'>;
  /** Records each status change for the funnel (absent: not recorded). */
  statusLog?: Pick<StatusLog, 'add'>;
  /** The portal's lifecycle stages, read from HubSpot at most every STAGES_MAX_AGE_MS. */
  stages: LifecycleStageStore;
  /** Where refused writes are recorded for the admin (sync health). */
  activity: Pick<ActivityStore, 'writesRefused'>;
  /** The portal's property labels, read from HubSpot at most every LABELS_MAX_AGE_MS. */
  labels: PropertyLabelStore;
}

/** How long the portal's property labels are trusted before they are read again. */
const LABELS_MAX_AGE_MS = 24 * 3_600_000;

/**
 * How the portal names its properties and options, for the evidence: from HubSpot when not
 * read yet, a day old, or `force`d. A portal that refuses the listing (an install from before
 * the scope) reads in HubSpot's default labels; the refusal is remembered for the day.
 */
export async function portalWording(
  deps: Pick<ScoringDeps, 'crm' | 'labels' | 'clock' | 'logger'>,
  portalId: number,
  force = false,
): Promise<Wording> {
  const stored = await deps.labels.get(portalId);
  if (stored && !force && deps.clock() - stored.fetchedAt < LABELS_MAX_AGE_MS)
    return stored.wording;
  try {
    const [contacts, companies] = await Promise.all([
      deps.crm.listProperties(portalId, 'contacts'),
      deps.crm.listProperties(portalId, 'companies'),
    ]);
    await deps.labels.save(portalId, { contacts, companies }, deps.clock());
    return wordingFrom(contacts, companies);
  } catch (error) {
    if (!(error instanceof HubSpotCallError) || error.status !== 403) throw error;
    deps.logger.warn(
      { portalId, err: error },
      'HubSpot refused to list properties: evidence reads in default labels',
    );
    await deps.labels.save(portalId, { contacts: [], companies: [] }, deps.clock());
    return DEFAULT_WORDING;
  }
}

/** How long the portal's lifecycle stage list is trusted before it is read again. */
const STAGES_MAX_AGE_MS = 3_600_000;

/** The portal's stages in order: from HubSpot when not read yet, too old, or `force`d. */
export async function portalStages(
  deps: Pick<ScoringDeps, 'crm' | 'stages' | 'clock'>,
  portalId: number,
  force = false,
): Promise<PortalStages['stages']> {
  const stored = await deps.stages.get(portalId);
  if (stored && !force && deps.clock() - stored.fetchedAt < STAGES_MAX_AGE_MS) return stored.stages;
  const stages = await deps.crm.lifecycleStages(portalId);
  await deps.stages.save(portalId, stages, deps.clock());
  return stages;
}

interface ScoreResult {
  scored: number;
  written: number;
  missing: string[];
  statuses: Record<string, number>;
}

/**
 * Qualifies a batch of contacts (as read from HubSpot, with our lq_* properties) and writes
 * back only what changed, in one batch update; a backward lifecycle move (the admin's recycle
 * option) is a clear and a set, in two more requests. Stores each qualification for the card
 * and schedules its next time-driven change for the sweep.
 */
export async function scoreContacts(
  deps: ScoringDeps,
  portalId: number,
  contacts: CrmObject[],
  associationIds?: ReadonlyMap<string, ReadonlyMap<string, string[]>>,
  source: StatusChange['source'] = 'change',
): Promise<ScoreResult> {
  const model = inPortal(await deps.models.active(portalId), await portalStages(deps, portalId));
  const compiled = compileModel(model);
  const wording = await portalWording(deps, portalId);
  const now = deps.clock();
  const facts = await loadFacts(deps.crm, portalId, contacts, compiled, associationIds, now);
  const backward: Array<{ id: string; stage: string }> = [];
  const statuses: Record<string, number> = {};
  const scored: Scored[] = [];
  /** The contacts whose written values change, with what to write. */
  const planned = new Map<string, ReturnType<typeof planWrites>>();
  for (const [k, contact] of contacts.entries()) {
    // Scoring is CPU work; other pages' requests already hold rate-limit slots. Yield often, so
    // they go out at once rather than after a whole page of scoring (and past the limiter's
    // margin over HubSpot's window).
    if (k > 0 && k % 10 === 0) await new Promise((r) => setImmediate(r));
    const f = facts.get(contact.id)!;
    const q = qualify(f, model, now, { wording });
    statuses[q.status] = (statuses[q.status] ?? 0) + 1;
    const plan = planWrites(q, contact.properties, model, now);
    if (Object.keys(plan.properties).length > 0) planned.set(contact.id, plan);
    if (plan.lifecycleBackward) backward.push({ id: contact.id, stage: plan.lifecycleBackward });
    // What HubSpot will hold once the plan is written: the dates the card shows.
    const after = { ...contact.properties, ...plan.properties };
    scored.push({
      q,
      nextChangeAt: nextDecisionChange(f, model, now, q),
      facts: f,
      milestones: {
        mqlAt: readTime(after['lq_mql_date']),
        readyAt: readTime(after['lq_ready_date']),
        sqlAt: readTime(after['lq_sql_date']),
        slaDueAt: readTime(after['lq_sla_due_at']),
        slaBreachedAt: readTime(after['lq_sla_breached_at']),
      },
      changedFrom: plan.statusChange ? { from: plan.statusChange.from } : null,
    });
  }
  await deps.scores.saveMany(portalId, scored, now);
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const { missing, refused } = await deps.crm.updateContacts(
    portalId,
    [...planned].map(([id, plan]) => ({ id, properties: plan.properties })),
  );
  if (refused.length > 0) await recordRefused(deps, portalId, refused);
  if (backward.length > 0) {
    // HubSpot ignores a backward lifecycle set: clear it, then set the earlier stage.
    await deps.crm.updateContacts(
      portalId,
      backward.map((b) => ({ id: b.id, properties: { lifecyclestage: '' } })),
    );
    await deps.crm.updateContacts(
      portalId,
      backward.map((b) => ({ id: b.id, properties: { lifecyclestage: b.stage } })),
    );
    deps.logger.info(
      { portalId, contacts: backward.length },
      'recycled contacts moved back to lead (recycle option on)',
    );
  }
  // What was written: its status changes for the funnel, its new SLAs to check when due.
  // (A contact HubSpot no longer has, or refused whole, wrote nothing.)
  const notWritten = new Set([
    ...missing,
    ...refused.filter((r) => r.property === undefined).flatMap((r) => r.contactIds),
  ]);
  const changes: StatusChange[] = [];
  const slaChecks: Array<Promise<void>> = [];
  const handOff = deps.handOffs && deps.producer ? await deps.handOffs.settings(portalId) : null;
  const qualified = new Map(scored.map((s) => [s.q.contactId, s.q]));
  for (const [id, plan] of planned) {
    if (notWritten.has(id)) continue;
    if (plan.slaDueAt !== null && deps.producer)
      slaChecks.push(deps.producer.slaCheck(portalId, id, plan.slaDueAt, now));
    // Reaching the admin's trigger hands the contact to sales (the job never makes two leads):
    // a status (or, for MQLs graded A/B, a grade) that meets it now and did not before.
    const q = qualified.get(id);
    if (handOff && q && triggers(handOff, q)) {
      const before = byId.get(id)!.properties;
      const was = {
        status: (plan.statusChange?.from ?? before['lq_status'] ?? 'unscored') as Status,
        grade: (before['lq_grade'] ?? 'D') as Grade,
      };
      if (!triggers(handOff, was)) slaChecks.push(deps.producer!.handOff(portalId, id));
    }
    if (plan.statusChange === null) continue;
    const contact = byId.get(id)!;
    const origin = readString(contact.properties['hs_analytics_source']);
    const created = Date.parse(contact.properties['createdate'] ?? '');
    changes.push({
      contactId: id,
      from: plan.statusChange.from,
      to: plan.statusChange.to,
      at: now,
      modelVersion: model.version,
      source,
      origin,
      channel: origin === 'OFFLINE' ? 'outbound' : 'inbound',
      createdAt: Number.isFinite(created) ? created : null,
    });
  }
  await Promise.all([deps.statusLog?.add(portalId, changes), ...slaChecks]);
  const written = planned.size - [...notWritten].filter((id) => planned.has(id)).length;
  deps.metrics?.contactsWritten.inc(written);
  return { scored: contacts.length, written, missing, statuses };
}

/**
 * What HubSpot refused goes where the admin sees it (sync health) and in the log; a refused
 * lifecycle stage means the portal's stages changed: they are read again at once.
 */
async function recordRefused(deps: ScoringDeps, portalId: number, refused: RefusedWrite[]) {
  for (const r of refused) {
    const what = r.property ? `"${r.property}" not written` : 'contact not written';
    deps.logger.warn(
      { portalId, property: r.property ?? null, contacts: r.contactIds.length, reason: r.message },
      'HubSpot refused a write; the rest was written',
    );
    await deps.activity.writesRefused(
      portalId,
      deps.clock(),
      r.contactIds.length,
      `${what} for ${r.contactIds.length} contact${r.contactIds.length === 1 ? '' : 's'}: ${r.message}`,
    );
  }
  if (refused.some((r) => r.property === 'lifecyclestage'))
    await portalStages(deps, portalId, true);
}

import { compileModel } from '../domain/compile-model';
import type { CrmObject, Facts } from '../domain/facts';
import { nextDecisionChange } from '../domain/next-change';
import type { Qualification } from '../domain/qualification';
import { qualify } from '../domain/qualify';
import { planWrites } from '../domain/write-back';
import type { CrmPort } from '../hubspot/crm-port';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { ModelStore } from '../storage/model-store';
import type { ScoreStore } from '../storage/score-store';
import { loadFacts } from './load-facts';

export interface ScoringDeps {
  crm: CrmPort;
  models: ModelStore;
  scores: ScoreStore;
  logger: Logger;
  metrics?: Metrics;
  clock: () => number;
}

export interface ScoreResult {
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
  known?: ReadonlyMap<string, ReadonlyMap<string, string[]>>,
): Promise<ScoreResult> {
  const model = await deps.models.active(portalId);
  const compiled = compileModel(model);
  const facts = await loadFacts(deps.crm, portalId, contacts, compiled, known);
  const now = deps.clock();
  const updates: Array<{ id: string; properties: Record<string, string> }> = [];
  const backward: Array<{ id: string; stage: string }> = [];
  const statuses: Record<string, number> = {};
  const scored: Array<{ q: Qualification; nextChangeAt: number | null; facts: Facts }> = [];
  for (const [k, contact] of contacts.entries()) {
    // Scoring is CPU work; other pages' requests already hold rate-limit slots. Yield often, so
    // they go out at once rather than after a whole page of scoring (and past the limiter's
    // margin over HubSpot's window).
    if (k > 0 && k % 10 === 0) await new Promise((r) => setImmediate(r));
    const f = facts.get(contact.id)!;
    const q = qualify(f, model, now);
    statuses[q.status] = (statuses[q.status] ?? 0) + 1;
    const plan = planWrites(q, contact.properties, model, now);
    if (Object.keys(plan.properties).length > 0)
      updates.push({ id: contact.id, properties: plan.properties });
    if (plan.lifecycleBackward) backward.push({ id: contact.id, stage: plan.lifecycleBackward });
    scored.push({ q, nextChangeAt: nextDecisionChange(f, model, now, q), facts: f });
  }
  await deps.scores.saveMany(portalId, scored, now);
  const { missing } = await deps.crm.updateContacts(portalId, updates);
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
  deps.metrics?.contactsWritten.inc(updates.length - missing.length);
  return { scored: contacts.length, written: updates.length - missing.length, missing, statuses };
}

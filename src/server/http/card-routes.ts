import {
  NO_MILESTONES,
  type CardView,
  type FeedbackRecord,
  type Qualification,
} from '@lead-qualifier/contract';
import { pastSql } from '../domain/lifecycle';
import { routedByText } from '../domain/routing';
import type { LeadView } from '@lead-qualifier/contract';
import { Router } from 'express';
import { AppError } from '../errors';
import type { Producer } from '../queue/producer';
import { feedbackRecord, type FeedbackStore } from '../storage/feedback-store';
import type { ModelStore } from '../storage/model-store';
import type { ScoreStore } from '../storage/score-store';
import type { LifecycleStageStore, PortalStages } from '../storage/lifecycle-stage-store';
import { callerOf, type SignedDeps, signedByHubSpot } from './signed-by-hubspot';
import { endpoint } from './endpoint';
import { firstTouchMissed } from '../domain/speed-to-lead';
import type { HandOffRecord, HandOffStore } from '../storage/handoff-store';

/** The hand-off as the card shows it: who has the lead, where it stands, since when. */
function leadView(
  record: HandOffRecord,
  stages: ReadonlyArray<{ id: string; label: string }>,
  now: number,
): LeadView {
  return {
    mode: record.mode,
    leadId: record.leadId,
    taskId: record.taskId,
    ownerId: record.ownerId,
    ownerName: record.ownerName,
    routedBy: routedByText(record.ownerName, record.routedBy),
    stage: record.stage,
    stageLabel: stages.find((s) => s.id === record.stage)?.label ?? record.stage,
    handedOffAt: record.handedOffAt,
    firstTouchAt: record.firstTouchAt,
    firstTouchDueAt: record.firstTouchDueAt,
    breached: firstTouchMissed(record, now),
    outcome: record.outcome,
    url: null,
  };
}

interface CardDeps extends SignedDeps {
  handOffs: HandOffStore;
  scores: ScoreStore;
  feedback: FeedbackStore;
  models: ModelStore;
  producer: Producer;
  stages: LifecycleStageStore;
}

/** The contact's stage is past SQL, in the portal's own stage order when it is known. */
const takenOn = (q: Qualification, stages: PortalStages | null) =>
  pastSql(
    q.lifecycle.current,
    stages?.stages.map((s) => s.value),
  );

/**
 * Sales' verdict means something for an SQL sales has not taken on yet (no deal, not a
 * customer); a contact a rep rejected may be judged again (to change their mind).
 */
function canJudge(
  q: Qualification | null,
  latest: FeedbackRecord | null,
  stages: PortalStages | null,
): boolean {
  if (!q || takenOn(q, stages)) return false;
  return (
    q.status === 'ready' ||
    q.status === 'sql' ||
    (q.status === 'recycled' && latest?.decision === 'rejected')
  );
}

/** `/api/card/...`: what the contact sidebar card reads and does, signed by HubSpot. */
export function cardRoutes(deps: CardDeps): Router {
  const router = Router();
  const clock = deps.clock;
  const signed = signedByHubSpot(deps);

  /** The card's view, from everything it is made of, read together. */
  async function view(portalId: number, id: string): Promise<CardView> {
    const [q, latest, requestedAt, activeVersion, stages, history, handOff, settings, owners] =
      await Promise.all([
        deps.scores.get(portalId, id),
        deps.feedback.latest(portalId, id),
        deps.scores.rescoreRequestedAt(portalId, id),
        deps.models.activeVersion(portalId),
        deps.stages.get(portalId),
        deps.scores.history(portalId, id),
        deps.handOffs.get(portalId, id),
        deps.handOffs.settings(portalId),
        deps.handOffs.cachedOwners(portalId),
      ] as const);
    const stage = q?.lifecycle.target ?? q?.lifecycle.current ?? null;
    const scoredAt = q?.scoredAt ?? -1;
    let pending: CardView['pending'] = null;
    if (latest && latest.at > scoredAt) pending = { kind: 'feedback', since: latest.at };
    else if (requestedAt !== null && requestedAt > scoredAt)
      pending = { kind: 'rescore', since: requestedAt };
    return {
      contactId: id,
      now: clock(),
      state: !q ? 'not_synced' : q.status === 'unscored' ? 'unscored' : 'scored',
      qualification: q,
      activeModelVersion: activeVersion,
      feedback: latest,
      pending,
      canGiveFeedback: canJudge(q, latest, stages),
      stageLabel: stages?.stages.find((s) => s.value === stage)?.label ?? null,
      company: q?.company ?? null,
      milestones: q?.milestones ?? NO_MILESTONES,
      history,
      lead: handOff ? leadView(handOff, owners?.stages ?? [], clock()) : null,
      canHandOff:
        settings.enabled &&
        !!q &&
        !takenOn(q, stages) &&
        (q.status === 'mql' || q.status === 'ready' || q.status === 'sql') &&
        (!handOff || handOff.outcome !== 'open'),
    };
  }

  endpoint(router, 'card', signed, async ({ params, res }) =>
    view(callerOf(res).portalId, params.contactId),
  );

  endpoint(router, 'rescore', signed, async ({ params, res }) => {
    const { portalId } = callerOf(res);
    await deps.scores.requestRescore(portalId, params.contactId, clock());
    await deps.producer.rescore(portalId, params.contactId);
    return view(portalId, params.contactId);
  });

  endpoint(router, 'handOff', signed, async ({ params, res }) => {
    const { portalId } = callerOf(res);
    const current = await view(portalId, params.contactId);
    if (!current.canHandOff)
      throw new AppError(
        'conflict',
        current.lead?.outcome === 'open'
          ? `This contact is already with sales: ${current.lead.routedBy}.`
          : 'Only a qualified contact (MQL, ready for sales or SQL) can be handed to sales, and the hand-off must be on in the app settings.',
      );
    await deps.producer.handOff(portalId, params.contactId);
    return current;
  });

  endpoint(router, 'giveFeedback', signed, async ({ params, body, res }) => {
    const caller = callerOf(res);
    const id = params.contactId;
    const [q, latest, stages] = await Promise.all([
      deps.scores.get(caller.portalId, id),
      deps.feedback.latest(caller.portalId, id),
      deps.stages.get(caller.portalId),
    ]);
    if (!q)
      throw new AppError('conflict', 'This contact has not been scored yet: rescore it first.');
    if (takenOn(q, stages))
      throw new AppError(
        'conflict',
        'Sales already took this contact on (it has a deal or is a customer): there is no SQL to accept or reject.',
      );
    if (!canJudge(q, latest, stages))
      throw new AppError(
        'conflict',
        `Only an SQL can be accepted or rejected; this contact is ${q.status}.`,
      );
    const record = feedbackRecord(q, {
      decision: body.decision,
      reason: body.reason ?? null,
      note: body.note,
      by: caller.actor,
      at: clock(),
    });
    // Stored first (never lost), then written to HubSpot and rescored by a retried job.
    await deps.feedback.add(caller.portalId, record);
    await deps.producer.sqlFeedback(caller.portalId, id, record.id);
    return view(caller.portalId, id);
  });

  return router;
}

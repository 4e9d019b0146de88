import { randomUUID } from 'node:crypto';
import {
  NO_MILESTONES,
  type CardView,
  type FeedbackRecord,
  type Qualification,
} from '@lead-qualifier/contract';
import { pastSql } from '../domain/lifecycle';
import { Router } from 'express';
import { AppError } from '../errors';
import type { Producer } from '../queue/producer';
import type { FeedbackStore } from '../storage/feedback-store';
import type { ModelStore } from '../storage/model-store';
import type { ScoreStore } from '../storage/score-store';
import type { LifecycleStageStore, PortalStages } from '../storage/lifecycle-stage-store';
import { callerOf, type SignedDeps, signedByHubSpot } from './signed-by-hubspot';
import { endpoint } from './endpoint';

interface CardDeps extends SignedDeps {
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
    const [q, latest, requestedAt, activeVersion, stages, history] = await Promise.all([
      deps.scores.get(portalId, id),
      deps.feedback.latest(portalId, id),
      deps.scores.rescoreRequestedAt(portalId, id),
      deps.models.activeVersion(portalId),
      deps.stages.get(portalId),
      deps.scores.history(portalId, id),
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
    const record: FeedbackRecord = {
      id: randomUUID(),
      contactId: id,
      decision: body.decision,
      reason: body.reason ?? null,
      note: body.note,
      by: caller.actor,
      at: clock(),
      modelVersion: q.modelVersion,
      score: q.score,
      grade: q.grade,
      status: q.status,
      rules: q.ledger.filter((e) => e.points > 0).map((e) => e.rule),
    };
    // Stored first (never lost), then written to HubSpot and rescored by a retried job.
    await deps.feedback.add(caller.portalId, record);
    await deps.producer.sqlFeedback(caller.portalId, id, record.id);
    return view(caller.portalId, id);
  });

  return router;
}

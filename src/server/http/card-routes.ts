import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import type { Facts } from '../domain/facts';
import type { Qualification } from '../domain/qualification';
import { readString } from '../domain/values';
import type { Producer } from '../queue/producer';
import { REJECTION_REASONS } from '../domain/lq-properties';
import type { FeedbackRecord, FeedbackStore } from '../storage/feedback-store';
import type { ModelStore } from '../storage/model-store';
import type { ScoreStore } from '../storage/score-store';
import type { LifecycleStageStore, PortalStages } from '../storage/lifecycle-stage-store';
import { callerOf, type SignedDeps, signedByHubSpot } from './signed-by-hubspot';
import { parseBody } from './parse-body';

interface CardDeps extends SignedDeps {
  scores: ScoreStore;
  feedback: FeedbackStore;
  models: ModelStore;
  producer: Producer;
  stages: LifecycleStageStore;
}

/** What the contact card shows: one response, so the card renders after one request. */
export interface CardView {
  contactId: string;
  /** Server time, so the card can say "2 hours ago" whatever the browser's clock says. */
  now: number;
  state: 'scored' | 'unscored' | 'not_synced';
  qualification: (Qualification & { scoredAt: number }) | null;
  activeModelVersion: number | null;
  feedback: FeedbackRecord | null;
  /** A rescore or a feedback write asked for and not yet reflected in the qualification. */
  pending: { kind: 'rescore' | 'feedback'; since: number } | null;
  /** Whether Accept SQL / Reject SQL apply to this contact now. */
  canGiveFeedback: boolean;
  /** The label the portal gives the contact's lifecycle stage (its own stages, renamed or not). */
  stageLabel: string | null;
  /** The company the contact was scored with (its primary company), by name. */
  company: { id: string; name: string } | null;
}

const contactId = z.string().regex(/^\d{1,20}$/, 'a HubSpot contact id (digits)');

const feedbackBody = z
  .object({
    decision: z.enum(['accepted', 'rejected']),
    reason: z.enum(REJECTION_REASONS).optional(),
    note: z.string().trim().max(1_000, 'at most 1,000 characters').default(''),
  })
  .superRefine((b, ctx) => {
    if (b.decision === 'rejected' && !b.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'choose why the SQL is rejected' });
    if (b.decision === 'accepted' && b.reason)
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'an accepted SQL has no rejection reason',
      });
    if (b.reason === 'other' && b.note === '')
      ctx.addIssue({
        code: 'custom',
        path: ['note'],
        message: 'say why in a note when the reason is "other"',
      });
  });

/** An SQL can be judged; so can a contact a rep rejected (to change their mind). */
function canJudge(q: Qualification | null, latest: FeedbackRecord | null): boolean {
  if (!q) return false;
  return q.status === 'sql' || (q.status === 'recycled' && latest?.decision === 'rejected');
}

/** `/api/card/...`: what the contact sidebar card reads and does, signed by HubSpot. */
export function cardRoutes(deps: CardDeps): Router {
  const router = Router();
  const clock = deps.clock;
  const signed = signedByHubSpot(deps);

  /** Everything the view is made of, read together (one round trip on a pipelined connection). */
  const read = (portalId: number, id: string) =>
    Promise.all([
      deps.scores.getJson(portalId, id),
      deps.feedback.latest(portalId, id),
      deps.scores.rescoreRequestedAt(portalId, id),
      deps.models.activeVersion(portalId),
      deps.stages.get(portalId),
      deps.scores.facts(portalId, id),
    ] as const);

  /** The view as JSON, with the stored qualification's JSON put in as it is. */
  async function viewJson(portalId: number, id: string): Promise<string> {
    const [json, latest, requestedAt, activeVersion, stages, facts] = await read(portalId, id);
    const q = json === null ? null : (JSON.parse(json) as CardView['qualification']);
    const v = build(id, q, latest, requestedAt, activeVersion, stages, facts);
    if (json === null) return JSON.stringify(v);
    // The qualification is most of the answer: splice the stored JSON in, not a re-encoding.
    // (A function replacement: the JSON may hold `$&` or `$'`, which a string would expand.)
    return JSON.stringify({ ...v, qualification: 0 }).replace(
      '"qualification":0',
      () => `"qualification":${json}`,
    );
  }

  async function view(portalId: number, id: string): Promise<CardView> {
    const [json, latest, requestedAt, activeVersion, stages, facts] = await read(portalId, id);
    const q = json === null ? null : (JSON.parse(json) as CardView['qualification']);
    return build(id, q, latest, requestedAt, activeVersion, stages, facts);
  }

  function build(
    id: string,
    q: CardView['qualification'],
    latest: FeedbackRecord | null,
    requestedAt: number | null,
    activeVersion: number | null,
    stages: PortalStages | null,
    facts: Facts | null,
  ): CardView {
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
      canGiveFeedback: canJudge(q, latest),
      stageLabel: stages?.stages.find((s) => s.value === stage)?.label ?? null,
      company: facts?.company
        ? {
            id: facts.company.id,
            name: readString(facts.company.properties['name']) ?? `Company ${facts.company.id}`,
          }
        : null,
    };
  }

  router.get('/api/card/contacts/:contactId', ...signed, async (req, res) => {
    const { portalId } = callerOf(res);
    const id = parseBody(contactId, req.params['contactId'], 'contactId');
    res.type('application/json').send(await viewJson(portalId, id));
  });

  router.post('/api/card/contacts/:contactId/rescore', ...signed, async (req, res) => {
    const { portalId } = callerOf(res);
    const id = parseBody(contactId, req.params['contactId'], 'contactId');
    const at = clock();
    await deps.scores.requestRescore(portalId, id, at);
    await deps.producer.rescore(portalId, id);
    res.status(202).json(await view(portalId, id));
  });

  router.post('/api/card/contacts/:contactId/feedback', ...signed, async (req, res) => {
    const caller = callerOf(res);
    const id = parseBody(contactId, req.params['contactId'], 'contactId');
    const body = parseBody(feedbackBody, req.body, 'body');
    const [q, latest] = await Promise.all([
      deps.scores.get(caller.portalId, id),
      deps.feedback.latest(caller.portalId, id),
    ]);
    if (!q || !canJudge(q, latest))
      throw new AppError(
        'conflict',
        q
          ? `Only an SQL can be accepted or rejected; this contact is ${q.status}.`
          : 'This contact has not been scored yet: rescore it first.',
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
    res.status(202).json(await view(caller.portalId, id));
  });

  return router;
}

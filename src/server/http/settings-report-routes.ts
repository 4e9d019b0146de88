import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { funnelMetrics, type Funnel } from '../domain/funnel';
import { AppError } from '../errors';
import type { PortalActivity } from '../storage/activity-store';
import type { BackfillProgress } from '../storage/backfill-store';
import type { FailureRecord } from '../storage/failure-log';
import { feedbackStats, type FeedbackStats } from '../storage/feedback-store';
import type { Installation } from '../storage/installation-store';
import { parseBody } from './parse-body';
import type { SettingsDeps } from './settings-deps';
import { callerOf } from './signed-by-hubspot';

/** The id of a preview or a training, as the settings page was given it. */
export const recordId = z.string().uuid('an id the settings page was given');

export interface HealthView {
  now: number;
  installation: Pick<Installation, 'status' | 'installedAt'> | null;
  backfill:
    | (BackfillProgress & {
        /** Contacts per second so far, and the expected finish, while running. */
        ratePerSecond: number | null;
        etaAt: number | null;
      })
    | null;
  activity: PortalActivity;
  scoredContacts: number;
  /** Jobs for this portal that failed for good: errors needing attention, newest first. */
  failures: FailureRecord[];
  /** Contacts changed in HubSpot and waiting to be rescored. */
  rescores: { pending: number; processing: number };
  /** HubSpot refuses the app's client credentials (a deployment problem): since when, why. */
  credentialsProblem: { since: number; message: string } | null;
}

export interface FunnelView {
  funnel: Funnel;
  /** SQL acceptance and rejection reasons. */
  feedback: FeedbackStats;
  sla: { met: number; breached: number };
  /** Status changes recorded (what the funnel is computed from). */
  changes: number;
}

/** Sync health, learning (trainings, drift), funnel and sales feedback: what admins read. */
export function settingsReportRoutes(deps: SettingsDeps, signed: RequestHandler[]): Router {
  const router = Router();
  const clock = deps.clock;

  router.get('/api/settings/health', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    const now = clock();
    const [installation, backfill, activity, scored, failures, rescores, alarm] = await Promise.all(
      [
        deps.installations.get(portalId),
        deps.backfills.get(portalId),
        deps.activity.read(portalId),
        deps.scores.factsCount(portalId),
        deps.failures.recent(portalId),
        deps.pending.counts(portalId),
        deps.alarm.read(),
      ],
    );
    let progress: HealthView['backfill'] = null;
    if (backfill) {
      const elapsed =
        ((backfill.status === 'done' ? backfill.finishedAt : now) - backfill.startedAt) / 1000;
      const rate = elapsed > 0 && backfill.done > 0 ? backfill.done / elapsed : null;
      const left = Math.max(0, backfill.total - backfill.done);
      progress = {
        ...backfill,
        ratePerSecond: rate === null ? null : Math.round(rate * 10) / 10,
        etaAt:
          backfill.status === 'running' && rate ? Math.round(now + (left / rate) * 1000) : null,
      };
    }
    const view: HealthView = {
      now,
      installation: installation
        ? { status: installation.status, installedAt: installation.installedAt }
        : null,
      backfill: progress,
      activity,
      scoredContacts: scored,
      failures,
      rescores: { pending: rescores.pending, processing: rescores.processing },
      credentialsProblem: alarm,
    };
    res.json(view);
  });

  router.post('/api/settings/trainings', ...signed, async (_req, res) => {
    const caller = callerOf(res);
    const record = await deps.trainings.create(caller.portalId, {
      requestedAt: clock(),
      by: caller.actor,
    });
    await deps.producer.train(caller.portalId, record.id);
    res.status(202).json(record);
  });

  router.get('/api/settings/trainings/:trainingId', ...signed, async (req, res) => {
    const { portalId } = callerOf(res);
    const id = parseBody(recordId, req.params['trainingId'], 'trainingId');
    const record = await deps.trainings.get(portalId, id);
    if (!record) throw new AppError('not_found', 'No such training (kept a week): train again.');
    res.json(record);
  });

  router.get('/api/settings/drift', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    res.json({ report: await deps.drift.report(portalId) });
  });

  router.post('/api/settings/drift-checks', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    await deps.producer.driftCheckNow(portalId);
    res.status(202).json({ queued: true });
  });

  router.get('/api/settings/funnel', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    const [changes, records, activity] = await Promise.all([
      deps.statusLog.all(portalId),
      deps.feedback.all(portalId),
      deps.activity.read(portalId),
    ]);
    // Opportunity and customer come from the deals: the contacts' stages as last read.
    const sqlIds = [...new Set(changes.filter((c) => c.to === 'sql').map((c) => c.contactId))];
    const stages = new Map<string, string | null>();
    for (let i = 0; i < sqlIds.length; i += 500) {
      const ids = sqlIds.slice(i, i + 500);
      const qs = await Promise.all(ids.map((id) => deps.scores.get(portalId, id)));
      ids.forEach((id, k) => stages.set(id, qs[k]?.lifecycle.current ?? null));
    }
    const view: FunnelView = {
      funnel: funnelMetrics(changes, (id) => stages.get(id) ?? null),
      feedback: feedbackStats(records),
      sla: activity.sla,
      changes: changes.length,
    };
    res.json(view);
  });

  router.get('/api/settings/feedback', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    const records = await deps.feedback.all(portalId);
    const stats: FeedbackStats = feedbackStats(records);
    res.json({ stats, recent: records.slice(-20).reverse() });
  });

  return router;
}

import type { HealthView } from '@lead-qualifier/contract';
import { Router, type RequestHandler } from 'express';
import { funnelMetrics } from '../domain/funnel';
import { AppError } from '../errors';
import { feedbackStats } from '../storage/feedback-store';
import { contactNames } from './contact-names';
import { endpoint } from './endpoint';
import type { SettingsDeps } from './settings-deps';
import { callerOf } from './signed-by-hubspot';
import { firstTouchReport } from '../domain/speed-to-lead';

/** Sync health, learning (trainings, drift), funnel and sales feedback: what admins read. */
export function settingsReportRoutes(deps: SettingsDeps, signed: RequestHandler[]): Router {
  const router = Router();
  const clock = deps.clock;

  endpoint(router, 'health', signed, async ({ res }) => {
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
      const end = backfill.status === 'done' ? backfill.finishedAt : now;
      const elapsed = (end - backfill.startedAt) / 1000;
      const recent = backfill.recent;
      // Scored in either phase: the pass in id order counts the ones it skipped as done.
      const scored = Math.min(
        backfill.total,
        backfill.done - backfill.skipped + (recent ? recent.done : 0),
      );
      const rate = elapsed > 0 && scored > 0 ? scored / elapsed : null;
      const etaOf = (left: number) =>
        backfill.status === 'running' && rate ? Math.round(now + (left / rate) * 1000) : null;
      progress = {
        status: backfill.status,
        done: backfill.done,
        written: backfill.written,
        total: backfill.total,
        startedAt: backfill.startedAt,
        finishedAt: backfill.finishedAt,
        scored,
        ratePerSecond: rate === null ? null : Math.round(rate * 10) / 10,
        etaAt: etaOf(Math.max(0, backfill.total - scored)),
        phase: backfill.phase,
        recent: recent && {
          since: recent.since,
          total: Math.max(recent.total, recent.done),
          done: recent.done,
          finishedAt: recent.finishedAt > 0 ? recent.finishedAt : null,
          etaAt: recent.finishedAt > 0 ? null : etaOf(Math.max(0, recent.total - recent.done)),
        },
      };
    }
    return {
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
  });

  endpoint(router, 'startTraining', signed, async ({ res }) => {
    const caller = callerOf(res);
    const record = await deps.trainings.create(caller.portalId, {
      requestedAt: clock(),
      by: caller.actor,
    });
    await deps.producer.train(caller.portalId, record.id);
    return record;
  });

  endpoint(router, 'training', signed, async ({ params, res }) => {
    const record = await deps.trainings.get(callerOf(res).portalId, params.trainingId);
    if (!record) throw new AppError('not_found', 'No such training (kept a week): train again.');
    return record;
  });

  endpoint(router, 'drift', signed, async ({ res }) => ({
    report: await deps.drift.report(callerOf(res).portalId),
  }));

  endpoint(router, 'startDriftCheck', signed, async ({ res }) => {
    await deps.producer.driftCheckNow(callerOf(res).portalId);
    return { queued: true } as const;
  });

  endpoint(router, 'funnel', signed, async ({ res }) => {
    const { portalId } = callerOf(res);
    const [changes, records, activity, handOffs] = await Promise.all([
      deps.statusLog.all(portalId),
      deps.feedback.all(portalId),
      deps.activity.read(portalId),
      deps.handOffs.all(portalId),
    ]);
    // Opportunity and customer come from the deals: the contacts' stages as last read.
    const sqlIds = [...new Set(changes.filter((c) => c.to === 'sql').map((c) => c.contactId))];
    const stages = new Map<string, string | null>();
    for (let i = 0; i < sqlIds.length; i += 500) {
      const ids = sqlIds.slice(i, i + 500);
      const qs = await Promise.all(ids.map((id) => deps.scores.get(portalId, id)));
      ids.forEach((id, k) => stages.set(id, qs[k]?.lifecycle.current ?? null));
    }
    return {
      funnel: funnelMetrics(changes, (id) => stages.get(id) ?? null),
      feedback: feedbackStats(records),
      sla: activity.sla,
      speedToLead: firstTouchReport(handOffs, clock()),
      changes: changes.length,
    };
  });

  endpoint(router, 'feedback', signed, async ({ res }) => {
    const { portalId } = callerOf(res);
    const records = await deps.feedback.all(portalId);
    const recent = records.slice(-20).reverse();
    const names = await contactNames(
      deps,
      portalId,
      recent.map((r) => r.contactId),
    );
    return {
      stats: feedbackStats(records),
      recent: recent.map((r) => ({ ...r, contactName: names.get(r.contactId) ?? null })),
    };
  });

  return router;
}

import { Router } from 'express';
import { z } from 'zod';
import { compileModel } from '../domain/compile-model';
import { parseModelAs, type Model } from '../domain/model-schema';
import { AppError } from '../errors';
import { HubSpotCallError, type CrmPort, type PropertySummary } from '../hubspot/crm-port';
import type { Producer } from '../queue/producer';
import type { ActivityStore, PortalActivity } from '../storage/activity-store';
import type { BackfillProgress, BackfillStore } from '../storage/backfill-store';
import type { FailureRecord } from '../storage/failure-log';
import { feedbackStats, type FeedbackStats, type FeedbackStore } from '../storage/feedback-store';
import type { Installation } from '../storage/installation-store';
import {
  ModelConflictError,
  type Draft,
  type ModelEvent,
  type ModelStore,
  type VersionInfo,
} from '../storage/model-store';
import type { PendingRescores } from '../storage/pending-rescores';
import type { StatusLog } from '../storage/status-log';
import type { TrainingStore } from '../storage/training-store';
import type { DriftStore } from '../storage/drift-store';
import { funnelMetrics, type Funnel } from '../domain/funnel';
import type { PreviewRecord, PreviewStore } from '../storage/preview-store';
import type { ScoreStore } from '../storage/score-store';
import { parseBody } from './parse-body';
import { callerOf, signedByHubSpot, type SignedDeps } from './signed-by-hubspot';

export interface SettingsDeps extends SignedDeps {
  models: ModelStore;
  scores: ScoreStore;
  previews: PreviewStore;
  feedback: FeedbackStore;
  activity: ActivityStore;
  backfills: BackfillStore;
  crm: CrmPort;
  producer: Producer;
  failures: { recent(limit?: number): Promise<FailureRecord[]> };
  pending: PendingRescores;
  statusLog: StatusLog;
  trainings: TrainingStore;
  drift: DriftStore;
}

export interface ModelView {
  active: { version: number; model: Model };
  draft: Draft | null;
  versions: VersionInfo[];
  history: ModelEvent[];
}

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
}

export interface FunnelView {
  funnel: Funnel;
  /** SQL acceptance and rejection reasons. */
  feedback: FeedbackStats;
  sla: { met: number; breached: number };
  /** Status changes recorded (what the funnel is computed from). */
  changes: number;
}

export interface PropertiesView {
  contacts: PropertySummary[];
  companies: PropertySummary[];
  /** Lists that could not be read, and why (an install from before a scope was added). */
  warnings: string[];
}

/** The portal's property lists change rarely; the form asks for them on every open. */
const PROPERTIES_TTL_MS = 5 * 60_000;
/** How long the form's property lists may take before the page is told to go on without. */
const PROPERTIES_DEADLINE_MS = 5_000;

const modelInput = z.object({ model: z.unknown() });
const draftBody = z.object({
  model: z.unknown(),
  baseVersion: z.number().int().min(1, 'the version the draft was started from'),
});
const publishBody = z.object({
  baseVersion: z.number().int().min(1, 'the version the draft was started from'),
  note: z.string().trim().min(1, 'say what changed and why').max(500, 'at most 500 characters'),
});
const rollbackBody = z.object({
  version: z.number().int().min(1, 'a version from the versions list'),
  note: z.string().trim().min(1, 'say why you roll back').max(500, 'at most 500 characters'),
});
const recordId = z.string().uuid('an id the settings page was given');

function modelProblems(problems: { path: string; message: string }[]): AppError {
  return new AppError(
    'bad_request',
    `The model has ${problems.length} problem${problems.length === 1 ? '' : 's'}: fix the fields named in details. Nothing was saved.`,
    problems.map((p) => ({ path: `model.${p.path}`, message: p.message })),
  );
}

/** Validates a model from the form: the version is the store's business, not the form's. */
function validModel(input: unknown, version: number): Model {
  const parsed = parseModelAs(input, version);
  if (!parsed.ok) throw modelProblems(parsed.error);
  return parsed.value;
}

/** Properties a model reads, as `contact.x`, `company.y`, `calls.z`. */
function reads(model: Model): Set<string> {
  const r = compileModel(model, { cache: false }).reads;
  return new Set([
    ...r.contact.map((p) => `contact.${p}`),
    ...r.company.map((p) => `company.${p}`),
    ...Object.entries(r.engagements).flatMap(([o, ps]) => ps.map((p) => `${o}.${p}`)),
  ]);
}

/** `/api/settings/...`: the admin's model editor, preview, versions, sync health and feedback. */
export function settingsRoutes(deps: SettingsDeps): Router {
  const router = Router();
  const clock = deps.clock ?? Date.now;
  const signed = signedByHubSpot(deps);
  const propertyCache = new Map<number, { at: number; view: PropertiesView }>();

  async function modelView(portalId: number): Promise<ModelView> {
    const [model, version, draft, versions, history] = await Promise.all([
      deps.models.active(portalId),
      deps.models.activeVersion(portalId),
      deps.models.draft(portalId),
      deps.models.versions(portalId),
      deps.models.history(portalId),
    ]);
    return { active: { version: version ?? model.version, model }, draft, versions, history };
  }

  async function currentVersion(portalId: number): Promise<number> {
    return (
      (await deps.models.activeVersion(portalId)) ?? (await deps.models.active(portalId)).version
    );
  }

  router.get('/api/settings/model', ...signed, async (_req, res) => {
    res.json(await modelView(callerOf(res).portalId));
  });

  router.put('/api/settings/draft', ...signed, async (req, res) => {
    const caller = callerOf(res);
    const body = parseBody(draftBody, req.body, 'body');
    const saved = await deps.models.saveDraft(
      caller.portalId,
      body.model,
      caller.actor,
      body.baseVersion,
    );
    if (!saved.ok) throw modelProblems(saved.problems);
    res.json(await modelView(caller.portalId));
  });

  router.delete('/api/settings/draft', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    await deps.models.discardDraft(portalId);
    res.json(await modelView(portalId));
  });

  router.post('/api/settings/previews', ...signed, async (req, res) => {
    const caller = callerOf(res);
    const body = parseBody(modelInput, req.body, 'body');
    const active = await deps.models.active(caller.portalId);
    const activeVersion = await currentVersion(caller.portalId);
    const draft = validModel(body.model, activeVersion + 1);
    const known = reads(active);
    const unsynced = [...reads(draft)].filter((p) => !known.has(p)).sort();
    const record = await deps.previews.create(caller.portalId, {
      requestedAt: clock(),
      by: caller.actor,
      activeVersion,
      draft,
      unsynced,
    });
    await deps.producer.preview(caller.portalId, record.id);
    res.status(202).json(record satisfies PreviewRecord);
  });

  router.get('/api/settings/previews/:previewId', ...signed, async (req, res) => {
    const { portalId } = callerOf(res);
    const id = parseBody(recordId, req.params['previewId'], 'previewId');
    const record = await deps.previews.get(portalId, id);
    if (!record)
      throw new AppError(
        'not_found',
        'No such preview (previews are kept 24 hours): run it again.',
      );
    res.json(record);
  });

  router.post('/api/settings/publish', ...signed, async (req, res) => {
    const caller = callerOf(res);
    const body = parseBody(publishBody, req.body, 'body');
    const draft = await deps.models.draft(caller.portalId);
    if (!draft)
      throw new AppError('conflict', 'There is no saved draft to publish: save one first.');
    if (draft.baseVersion !== body.baseVersion)
      throw new AppError(
        'conflict',
        `The saved draft was started from version ${draft.baseVersion}, not ${body.baseVersion}: reload the page.`,
      );
    let info: VersionInfo;
    try {
      info = await deps.models.publish(
        caller.portalId,
        draft.model,
        caller.actor,
        body.note,
        body.baseVersion,
      );
    } catch (error) {
      if (error instanceof ModelConflictError) throw new AppError('conflict', error.message);
      throw error;
    }
    await deps.producer.rescorePortal(caller.portalId, 'published');
    res.status(201).json({ published: info, ...(await modelView(caller.portalId)) });
  });

  router.post('/api/settings/rollback', ...signed, async (req, res) => {
    const caller = callerOf(res);
    const body = parseBody(rollbackBody, req.body, 'body');
    try {
      await deps.models.rollback(caller.portalId, body.version, caller.actor, body.note);
    } catch (error) {
      if (error instanceof ModelConflictError) throw new AppError('conflict', error.message);
      throw error;
    }
    await deps.producer.rescorePortal(caller.portalId, 'rolled_back');
    res.json(await modelView(caller.portalId));
  });

  router.get('/api/settings/properties', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    const cached = propertyCache.get(portalId);
    if (cached && clock() - cached.at < PROPERTIES_TTL_MS) {
      res.json(cached.view);
      return;
    }
    const warnings: string[] = [];
    const list = (type: 'contacts' | 'companies') =>
      deps.crm.listProperties(portalId, type).catch((error: unknown) => {
        if (!(error instanceof HubSpotCallError) || error.status !== 403) throw error;
        warnings.push(
          `HubSpot refused to list ${type} properties (${error.message}). Reinstall the app to grant the scopes it asks for now.`,
        );
        return [];
      });
    // A page waits on this (hubspot.fetch gives up after 15 s, and retries a 5xx once, which
    // doubles the wait): past the deadline the form goes on without the lists, told why.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), PROPERTIES_DEADLINE_MS);
    });
    const lists = await Promise.race([
      Promise.all([list('contacts'), list('companies')]),
      late,
    ]).finally(() => clearTimeout(timer));
    if (lists === 'late') {
      const view: PropertiesView = {
        contacts: [],
        companies: [],
        warnings: [
          `HubSpot did not list the properties within ${PROPERTIES_DEADLINE_MS / 1000} s; try again in a minute.`,
        ],
      };
      res.json(view);
      return;
    }
    const [contacts, companies] = lists;
    const view: PropertiesView = { contacts, companies, warnings };
    propertyCache.set(portalId, { at: clock(), view });
    res.json(view);
  });

  router.get('/api/settings/health', ...signed, async (_req, res) => {
    const { portalId } = callerOf(res);
    const now = clock();
    const [installation, backfill, activity, scored, failures, rescores] = await Promise.all([
      deps.installations.get(portalId),
      deps.backfills.get(portalId),
      deps.activity.read(portalId),
      deps.scores.factsCount(portalId),
      deps.failures.recent(1_000),
      deps.pending.counts(portalId),
    ]);
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
      failures: failures.filter((f) => f.portalId === portalId).slice(0, 50),
      rescores: { pending: rescores.pending, processing: rescores.processing },
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

import type { Job } from 'bullmq';
import type { CrmPort } from '../hubspot/crm-port';
import type { Logger } from '../logger';
import type { ActivityStore } from '../storage/activity-store';
import type { BackfillStore } from '../storage/backfill-store';
import type { ContactErasure } from '../storage/contact-erasure';
import type { DriftStore } from '../storage/drift-store';
import type { FeedbackStore } from '../storage/feedback-store';
import type { InstallationStore } from '../storage/installation-store';
import type { LifecycleStageStore } from '../storage/lifecycle-stage-store';
import type { ModelStore } from '../storage/model-store';
import type { PendingRescores } from '../storage/pending-rescores';
import type { PreviewStore } from '../storage/preview-store';
import type { ScoreStore } from '../storage/score-store';
import type { TrainingStore } from '../storage/training-store';
import type { Redis } from '../redis';
import type { Keys } from '../storage/keys';
import type { JobName, JobPayload } from './job-catalogue';
import type { Producer } from './producer';
import type { ScoringDeps } from './score-contacts';
import type { RecentFirst } from './jobs/start-backfill';
import type { SalesPort } from '../hubspot/sales-crm';
import type { HandOffStore } from '../storage/handoff-store';

/** Everything a job may use, built once per process by the composition root. */
export interface JobDeps extends ScoringDeps {
  trainings: TrainingStore;
  drift: DriftStore;
  feedback: FeedbackStore;
  activity: ActivityStore;
  previews: PreviewStore;
  redis: Redis;
  keys: Keys;
  producer: Producer;
  installations: InstallationStore;
  backfills: BackfillStore;
  pending: PendingRescores;
  erasure: ContactErasure;
  stages: LifecycleStageStore;
  /** How long a run may hold the contacts it took: the worker's lock time (WORKER_LOCK_MS). */
  leaseMs: number;
  /** When a backfill scores the recently active contacts first. */
  recentFirst: RecentFirst;
  /** Owners, seats, leads and tasks: the hand-off to sales. */
  sales: SalesPort;
  handOffs: HandOffStore;
}

/** A store whose methods all take the portal id first, with the portal already given. */
export type PortalBound<T> = {
  [K in keyof T]: T[K] extends (portalId: number, ...args: infer A) => infer R
    ? (...args: A) => R
    : T[K];
};

/** Binds every method of `store` to `portalId` (each takes it as its first argument). */
export function bindPortal<T extends object>(store: T, portalId: number): PortalBound<T> {
  const bound: Record<string, unknown> = {};
  for (const key of Object.keys(store)) {
    const value = (store as Record<string, unknown>)[key];
    bound[key] =
      typeof value === 'function'
        ? (...args: unknown[]) => (value as (...a: unknown[]) => unknown)(portalId, ...args)
        : value;
  }
  return bound as PortalBound<T>;
}

/**
 * What a job gets: its portal, a logger that says which portal and job, the HubSpot calls and
 * the stores bound to that portal (probot hands each event such a context), and the job itself.
 * `deps` is there for the shared steps that serve several jobs (scoring a batch).
 */
export interface JobScope {
  portalId: number;
  job: Job;
  log: Logger;
  clock: () => number;
  crm: PortalBound<CrmPort>;
  models: PortalBound<ModelStore>;
  scores: PortalBound<ScoreStore>;
  feedback: PortalBound<FeedbackStore>;
  pending: PortalBound<PendingRescores>;
  backfills: PortalBound<BackfillStore>;
  activity: PortalBound<ActivityStore>;
  previews: PortalBound<PreviewStore>;
  trainings: PortalBound<TrainingStore>;
  drift: PortalBound<DriftStore>;
  erasure: PortalBound<ContactErasure>;
  producer: Producer;
  /**
   * Runs `work` as one of at most `max` runs of `kind` in the portal at once (across workers,
   * each run's place renewed while it lasts, lapsing if its worker dies); when as many are
   * running, `work` does not run and `{ ran: false }` says so: the job decides whether to come
   * back later (`RunLater`) or leave it to the runs in progress.
   */
  inRunSlot<T>(
    kind: string,
    max: number,
    work: () => Promise<T>,
  ): Promise<{ ran: true; result: T } | { ran: false }>;
  /** Runs `work` once per process and portal under `key` (a schedule added, a check made). */
  oncePerProcess(key: string, work: () => Promise<void>): Promise<void>;
  deps: JobDeps;
}

/** What the worker checks before a job runs. */
export interface JobNeeds {
  /** The app must be installed in the portal: else the job stops for good (and its schedules). */
  installed: boolean;
  /** The portal must have every lq_* property this version writes (added once if missing). */
  properties: boolean;
}

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  needs: JobNeeds;
  run(payload: JobPayload<N>, scope: JobScope): Promise<unknown>;
}

/** One job: its name (in the catalogue), what it needs, and what it does with its scope. */
export function defineJob<N extends JobName>(
  name: N,
  needs: JobNeeds,
  run: (payload: JobPayload<N>, scope: JobScope) => Promise<unknown>,
): JobDefinition<N> {
  return { name, needs, run };
}

/** What the worker calls for a job: its validated payload and the BullMQ job. */
export type JobHandler = (payload: never, job: Job) => Promise<unknown>;

/** Whether this run is the job's last try: an admin is told of a failure only then. */
export const isLastAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

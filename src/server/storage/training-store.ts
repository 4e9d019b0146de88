import type { Model } from '../domain/model-schema';
import type { TrainReport } from '../learning/train';
import type { Redis } from '../redis';
import { createJobRecords } from './job-records';
import type { Keys } from './keys';
import type { Actor } from './model-store';

/** A training run, kept a week: long enough to review it, save it as a draft, or compare. */
const TRAINING_TTL_S = 7 * 24 * 3_600;

export interface TrainingRecord {
  id: string;
  status: 'queued' | 'running' | 'done' | 'refused' | 'failed';
  requestedAt: number;
  by: Actor;
  /** Labelled contacts found (converted, not converted), and those left out (deal open). */
  labels: { positives: number; negatives: number; open: number } | null;
  report: TrainReport | null;
  model: Model | null;
  /** Why it was refused (too little data: how much more is needed) or failed. */
  message: string | null;
}

export function createTrainingStore(redis: Redis, keys: Keys) {
  const records = createJobRecords<TrainingRecord>(redis, keys.training, TRAINING_TTL_S);
  return {
    create: (portalId: number, fields: Pick<TrainingRecord, 'requestedAt' | 'by'>) =>
      records.create(portalId, {
        status: 'queued',
        labels: null,
        report: null,
        model: null,
        message: null,
        ...fields,
      }),
    get: records.get,
    save: records.save,
  };
}
export type TrainingStore = ReturnType<typeof createTrainingStore>;

import { trainingRecordSchema, type TrainingRecord } from '@lead-qualifier/contract';
import type { Redis } from '../redis';
import { createJobRecords } from './job-records';
import type { Keys } from './keys';

/** A training run, kept a week: long enough to review it, save it as a draft, or compare. */
const TRAINING_TTL_S = 7 * 24 * 3_600;

export function createTrainingStore(redis: Redis, keys: Keys) {
  const records = createJobRecords(
    trainingRecordSchema,
    'training',
    redis,
    keys.training,
    TRAINING_TTL_S,
  );
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

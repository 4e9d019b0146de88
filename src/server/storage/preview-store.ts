import { previewRecordSchema, type PreviewRecord } from '@lead-qualifier/contract';
import type { Redis } from '../redis';
import { createJobRecords } from './job-records';
import type { Keys } from './keys';

/** A preview is kept a day: long enough to review, publish or throw away. */
const PREVIEW_TTL_S = 24 * 3_600;

export function createPreviewStore(redis: Redis, keys: Keys) {
  const records = createJobRecords(
    previewRecordSchema,
    'preview',
    redis,
    keys.preview,
    PREVIEW_TTL_S,
  );
  return {
    create: (
      portalId: number,
      fields: Pick<
        PreviewRecord,
        'requestedAt' | 'by' | 'activeVersion' | 'draft' | 'unsynced' | 'rollbackTo'
      >,
    ): Promise<PreviewRecord> =>
      records.create(portalId, {
        status: 'queued',
        done: 0,
        total: 0,
        result: null,
        error: null,
        ...fields,
      }),
    get: records.get,
    save: records.save,
  };
}
export type PreviewStore = ReturnType<typeof createPreviewStore>;

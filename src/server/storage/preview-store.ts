import type { Model } from '../domain/model-schema';
import type { PreviewResult } from '../domain/model-preview';
import type { Redis } from '../redis';
import { createJobRecords } from './job-records';
import type { Keys } from './keys';
import type { Actor } from './model-store';

/** A preview is kept a day: long enough to review, publish or throw away. */
const PREVIEW_TTL_S = 24 * 3_600;

export interface PreviewRecord {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  requestedAt: number;
  by: Actor;
  activeVersion: number;
  draft: Model;
  done: number;
  total: number;
  /** Properties the draft reads that the stored facts do not hold yet (read once published). */
  unsynced: string[];
  result: PreviewResult | null;
  error: string | null;
}

export function createPreviewStore(redis: Redis, keys: Keys) {
  const records = createJobRecords<PreviewRecord>(redis, keys.preview, PREVIEW_TTL_S);
  return {
    create: (
      portalId: number,
      fields: Pick<PreviewRecord, 'requestedAt' | 'by' | 'activeVersion' | 'draft' | 'unsynced'>,
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

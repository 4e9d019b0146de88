import { randomUUID } from 'node:crypto';
import type { Model } from '../domain/model-schema';
import type { PreviewResult } from '../domain/model-preview';
import type { Redis } from '../redis';
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
  const save = (portalId: number, record: PreviewRecord) =>
    redis.set(keys.preview(portalId, record.id), JSON.stringify(record), 'EX', PREVIEW_TTL_S);
  return {
    async create(
      portalId: number,
      fields: Pick<PreviewRecord, 'requestedAt' | 'by' | 'activeVersion' | 'draft' | 'unsynced'>,
    ): Promise<PreviewRecord> {
      const record: PreviewRecord = {
        id: randomUUID(),
        status: 'queued',
        done: 0,
        total: 0,
        result: null,
        error: null,
        ...fields,
      };
      await save(portalId, record);
      return record;
    },
    async get(portalId: number, id: string): Promise<PreviewRecord | null> {
      const json = await redis.get(keys.preview(portalId, id));
      return json ? (JSON.parse(json) as PreviewRecord) : null;
    },
    save,
  };
}
export type PreviewStore = ReturnType<typeof createPreviewStore>;

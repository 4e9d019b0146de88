import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Redis } from '../redis';
import { parseStored } from './stored-json';

/** A background job's record an admin follows from the settings page: queued → done. */
interface JobRecord {
  id: string;
  status: string;
}

/** Records of one kind (previews, trainings) per portal, kept `ttlSeconds` after each save. */
export function createJobRecords<R extends JobRecord>(
  schema: z.ZodType<R>,
  what: string,
  redis: Redis,
  key: (portalId: number, id: string) => string,
  ttlSeconds: number,
) {
  const save = async (portalId: number, record: R): Promise<void> => {
    await redis.set(key(portalId, record.id), JSON.stringify(record), 'EX', ttlSeconds);
  };
  return {
    async create(portalId: number, fields: Omit<R, 'id'>): Promise<R> {
      const record = { id: randomUUID(), ...fields } as R;
      await save(portalId, record);
      return record;
    },
    async get(portalId: number, id: string): Promise<R | null> {
      const json = await redis.get(key(portalId, id));
      return json ? parseStored(schema, json, `portal ${portalId} ${what} ${id}`) : null;
    },
    save,
  };
}

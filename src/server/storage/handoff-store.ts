import { z } from 'zod';
import { handOffSettingsSchema, type HandOffSettings } from '@lead-qualifier/contract';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

/** One contact's hand-off to sales: the lead (or task) made, who has it, and where it stands. */
export const handOffRecordSchema = z.object({
  contactId: z.string(),
  mode: z.enum(['leads', 'tasks']),
  leadId: z.string().nullable(),
  taskId: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  /** How the owner was chosen: "territory EMEA", "account owner", "existing lead". */
  routedBy: z.string(),
  /** We made the lead, or attached to one a person (or another tool) had made. */
  origin: z.enum(['created', 'attached']),
  handedOffAt: z.number(),
  firstTouchDueAt: z.number(),
  firstTouchAt: z.number().nullable(),
  breachedAt: z.number().nullable(),
  stage: z.string().nullable(),
  outcome: z.enum(['open', 'qualified', 'disqualified']),
  outcomeAt: z.number().nullable(),
  /** The contact's original source, for the first-touch report. */
  source: z.string(),
});
export type HandOffRecord = z.infer<typeof handOffRecordSchema>;

const cachedOwnersSchema = z.object({
  at: z.number(),
  /** The lead pipelines' stages with their labels (empty without Leads). */
  stages: z.array(z.object({ id: z.string(), label: z.string() })).default([]),
  owners: z.array(
    z.object({
      id: z.string(),
      userId: z.number().nullable(),
      email: z.string(),
      name: z.string(),
      teams: z.array(z.object({ id: z.string(), name: z.string() })),
      seated: z.boolean().nullable(),
      away: z.boolean(),
    }),
  ),
});
export type CachedOwners = z.infer<typeof cachedOwnersSchema>;

const DEFAULT_SETTINGS = handOffSettingsSchema.parse({});

/** The hand-off settings, every contact's hand-off, the round-robin turns. */
export function createHandOffStore(redis: Redis, keys: Keys) {
  const read = (json: string) => parseStored(handOffRecordSchema, json, 'hand-off record');
  return {
    async settings(portalId: number): Promise<HandOffSettings> {
      const json = await redis.get(keys.handOff(portalId));
      return json
        ? parseStored(handOffSettingsSchema, json, 'hand-off settings')
        : DEFAULT_SETTINGS;
    },
    async saveSettings(portalId: number, settings: HandOffSettings): Promise<void> {
      await redis.set(keys.handOff(portalId), JSON.stringify(settings));
    },
    async get(portalId: number, contactId: string): Promise<HandOffRecord | null> {
      const json = await redis.hget(keys.handOffs(portalId), contactId);
      return json ? read(json) : null;
    },
    /** Every hand-off, closed ones too (the speed-to-lead report). */
    async all(portalId: number): Promise<HandOffRecord[]> {
      return (await redis.hvals(keys.handOffs(portalId))).map(read);
    },
    /** Whether any hand-off is open. */
    async anyOpen(portalId: number): Promise<boolean> {
      return (await redis.scard(keys.openHandOffs(portalId))) > 0;
    },
    /** The open hand-offs only (what routing, the sweep and the card's counts need). */
    async open(portalId: number): Promise<HandOffRecord[]> {
      const ids = await redis.smembers(keys.openHandOffs(portalId));
      if (ids.length === 0) return [];
      const found = await redis.hmget(keys.handOffs(portalId), ...ids);
      return found.flatMap((json) => (json ? [read(json)] : []));
    },
    async save(portalId: number, record: HandOffRecord): Promise<void> {
      const m = redis
        .multi()
        .hset(keys.handOffs(portalId), record.contactId, JSON.stringify(record));
      if (record.leadId) m.hset(keys.leadContacts(portalId), record.leadId, record.contactId);
      if (record.outcome === 'open') m.sadd(keys.openHandOffs(portalId), record.contactId);
      else m.srem(keys.openHandOffs(portalId), record.contactId);
      await m.exec();
    },
    /** The contacts of these leads (leads we do not track are left out). */
    async contactsOfLeads(portalId: number, leadIds: string[]): Promise<Map<string, string>> {
      if (leadIds.length === 0) return new Map();
      const found = await redis.hmget(keys.leadContacts(portalId), ...leadIds);
      const out = new Map<string, string>();
      leadIds.forEach((id, k) => {
        if (found[k]) out.set(id, found[k]);
      });
      return out;
    },
    /** A contact deleted: its hand-off is forgotten (the lead in HubSpot is handled apart). */
    async remove(portalId: number, contactId: string): Promise<HandOffRecord | null> {
      const record = await this.get(portalId, contactId);
      if (!record) return null;
      const m = redis
        .multi()
        .hdel(keys.handOffs(portalId), contactId)
        .srem(keys.openHandOffs(portalId), contactId);
      if (record.leadId) m.hdel(keys.leadContacts(portalId), record.leadId);
      await m.exec();
      return record;
    },
    /** The rotation's next turn (0, 1, 2, …), atomically across workers. */
    async nextTurn(portalId: number, rotation: string): Promise<number> {
      return (await redis.hincrby(keys.rotations(portalId), rotation, 1)) - 1;
    },
    /** Holds the contact's hand-off for `ms` (false when another run holds it). */
    async lock(portalId: number, contactId: string, token: string, ms: number): Promise<boolean> {
      return (
        (await redis.set(keys.handOffLock(portalId, contactId), token, 'PX', ms, 'NX')) === 'OK'
      );
    },
    async unlock(portalId: number, contactId: string, token: string): Promise<void> {
      const key = keys.handOffLock(portalId, contactId);
      // Only our own hold is released (a lapsed hold may be someone else's by now).
      await redis.eval(
        "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
        1,
        key,
        token,
      );
    },
    async cachedOwners(portalId: number): Promise<CachedOwners | null> {
      const json = await redis.get(keys.owners(portalId));
      return json ? parseStored(cachedOwnersSchema, json, 'owners') : null;
    },
    /** HubSpot refused the owner for a lead: treated as without a seat until owners are read again. */
    async markUnseated(portalId: number, ownerId: string): Promise<void> {
      const cached = await this.cachedOwners(portalId);
      if (!cached) return;
      await this.cacheOwners(portalId, {
        ...cached,
        owners: cached.owners.map((o) => (o.id === ownerId ? { ...o, seated: false } : o)),
      });
    },
    async cacheOwners(portalId: number, owners: CachedOwners): Promise<void> {
      await redis.set(keys.owners(portalId), JSON.stringify(owners), 'EX', 24 * 3600);
    },
  };
}
export type HandOffStore = ReturnType<typeof createHandOffStore>;

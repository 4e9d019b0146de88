import { previewRecordSchema, type PreviewRecord } from '@lead-qualifier/contract';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored, StoredRecordError } from './stored-json';

/** Removes the entries of JSON lists whose `contactId` is ARGV[1]; answers how many went. */
const DROP_LIST_ENTRIES = `
local removed = 0
for _, key in ipairs(KEYS) do
  for _, item in ipairs(redis.call('LRANGE', key, 0, -1)) do
    local ok, value = pcall(cjson.decode, item)
    if ok and type(value) == 'table' and tostring(value.contactId) == ARGV[1] then
      removed = removed + redis.call('LREM', key, 0, item)
    end
  end
end
return removed
`;

/**
 * Everything stored about one contact, erased: HubSpot's privacy deletion (GDPR) asks apps to
 * delete the person's data (https://developers.hubspot.com/docs/api/webhooks, contact.privacyDeletion).
 * Per contact: the score record, its facts, schedules (next change, pending, processing, event
 * times, rescore requests), status-log and feedback entries (with reps' e-mails and notes), its
 * hand-off to sales, and the samples of stored previews. Jobs naming the contact are the caller's (they live in BullMQ).
 */
export function createContactErasure(redis: Redis, keys: Keys) {
  redis.defineCommand('lqDropContactEntries', { numberOfKeys: 2, lua: DROP_LIST_ENTRIES });
  const scripts = redis as unknown as {
    lqDropContactEntries(statusLog: string, feedback: string, contactId: string): Promise<number>;
  };

  async function erasePreviewSamples(portalId: number, contactId: string): Promise<void> {
    const pattern = keys.preview(portalId, '*');
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
      cursor = next;
      for (const key of found) {
        const json = await redis.get(key);
        if (!json) continue;
        let record: PreviewRecord;
        try {
          record = parseStored(previewRecordSchema, json, key);
        } catch (error) {
          // A preview that cannot be read may still name the contact: it goes whole.
          if (!(error instanceof StoredRecordError)) throw error;
          await redis.del(key);
          continue;
        }
        const samples = record.result?.samples;
        if (!samples?.some((s) => s.contactId === contactId)) continue;
        record.result!.samples = samples.filter((s) => s.contactId !== contactId);
        await redis.set(key, JSON.stringify(record), 'KEEPTTL');
      }
    } while (cursor !== '0');
  }

  return {
    async erase(portalId: number, contactId: string): Promise<void> {
      // Its hand-off to sales (the lead in HubSpot is HubSpot's to erase with the contact).
      const handOff = await redis.hget(keys.handOffs(portalId), contactId);
      const leadId = handOff ? (JSON.parse(handOff) as { leadId?: unknown }).leadId : null;
      if (typeof leadId === 'string') await redis.hdel(keys.leadContacts(portalId), leadId);
      await redis
        .multi()
        .hdel(keys.handOffs(portalId), contactId)
        .srem(keys.openHandOffs(portalId), contactId)
        .del(keys.score(portalId, contactId))
        .hdel(keys.statusHistory(portalId), contactId)
        .hdel(keys.facts(portalId), contactId)
        .hdel(keys.rescoreRequested(portalId), contactId)
        .hdel(keys.events(portalId), contactId)
        .hdel(keys.feedbackLatest(portalId), contactId)
        .zrem(keys.nextChange(portalId), contactId)
        .zrem(keys.pending(portalId), contactId)
        .zrem(keys.recentChanges(portalId), contactId)
        .zrem(keys.processing(portalId), contactId)
        .exec();
      await scripts.lqDropContactEntries(
        keys.statusLog(portalId),
        keys.feedback(portalId),
        contactId,
      );
      await erasePreviewSamples(portalId, contactId);
    },
  };
}
export type ContactErasure = ReturnType<typeof createContactErasure>;

import { z } from 'zod';
import { propertySummarySchema } from '@lead-qualifier/contract';
import { wordingFrom, type Wording } from '../domain/wording';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

/** Only what the wording reads of each property: a portal may define hundreds. */
const labelled = propertySummarySchema.pick({ name: true, label: true, type: true, options: true });
const stored = z.object({
  fetchedAt: z.number(),
  contacts: z.array(labelled),
  companies: z.array(labelled),
});
type Labelled = z.infer<typeof labelled>;

/** How long this process trusts what it read from Redis before reading it again. */
const MEMO_MS = 60_000;

/**
 * Each portal's contact and company property labels and option labels, as HubSpot last listed
 * them: the evidence on the card and in `lq_top_reasons` reads in the portal's own words.
 */
export function createPropertyLabelStore(redis: Redis, keys: Keys, clock: () => number) {
  const memo = new Map<
    number,
    { readAt: number; value: { fetchedAt: number; wording: Wording } }
  >();
  const slim = (list: readonly Labelled[]): Labelled[] =>
    list.map(({ name, label, type, options }) => ({ name, label, type, options }));
  return {
    async save(
      portalId: number,
      lists: { contacts: readonly Labelled[]; companies: readonly Labelled[] },
      at: number,
    ): Promise<void> {
      const value = {
        fetchedAt: at,
        contacts: slim(lists.contacts),
        companies: slim(lists.companies),
      };
      await redis.set(keys.propertyLabels(portalId), JSON.stringify(value));
      memo.delete(portalId);
    },
    /** The portal's wording and when its labels were read from HubSpot, or null before. */
    async get(portalId: number): Promise<{ fetchedAt: number; wording: Wording } | null> {
      const hit = memo.get(portalId);
      if (hit && clock() - hit.readAt < MEMO_MS) return hit.value;
      const json = await redis.get(keys.propertyLabels(portalId));
      if (json === null) return null;
      const lists = parseStored(stored, json, `portal ${portalId} property labels`);
      const value = {
        fetchedAt: lists.fetchedAt,
        wording: wordingFrom(lists.contacts, lists.companies),
      };
      memo.set(portalId, { readAt: clock(), value });
      return value;
    },
  };
}
export type PropertyLabelStore = ReturnType<typeof createPropertyLabelStore>;

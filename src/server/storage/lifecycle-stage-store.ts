import { z } from 'zod';
import type { Redis } from '../redis';
import type { Keys } from './keys';

const stored = z.object({
  fetchedAt: z.number(),
  stages: z.array(z.object({ value: z.string(), label: z.string() })),
});
export type PortalStages = z.infer<typeof stored>;

/**
 * Each portal's lifecycle stages as HubSpot last listed them, in order: admins can remove
 * HubSpot's defaults, add their own and reorder them
 * (https://developers.hubspot.com/changelog/upcoming-customized-lifecycle-stages-for-contacts-and-companies).
 */
export function createLifecycleStageStore(redis: Redis, keys: Keys) {
  return {
    async save(portalId: number, stages: PortalStages['stages'], at: number): Promise<void> {
      await redis.set(keys.lifecycleStages(portalId), JSON.stringify({ fetchedAt: at, stages }));
    },
    async get(portalId: number): Promise<PortalStages | null> {
      const json = await redis.get(keys.lifecycleStages(portalId));
      if (json === null) return null;
      const parsed = stored.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : null;
    },
  };
}
export type LifecycleStageStore = ReturnType<typeof createLifecycleStageStore>;

import { DEFAULT_MODEL } from '../domain/default-model';
import { parseModel, type Model } from '../domain/model-schema';
import type { Redis } from '../redis';
import type { Keys } from './keys';

/** Immutable model versions per portal, one of them active. */
export function createModelStore(redis: Redis, keys: Keys) {
  const cache = new Map<string, Model>();
  return {
    /** The active model; the shipped default for a portal that has none yet. */
    async active(portalId: number): Promise<Model> {
      const version = await redis.get(keys.activeModel(portalId));
      if (version === null) return DEFAULT_MODEL;
      const cacheKey = `${portalId}:${version}`;
      const hit = cache.get(cacheKey);
      if (hit) return hit;
      const json = await redis.hget(keys.models(portalId), version);
      if (json === null)
        throw new Error(`portal ${portalId}: active model version ${version} is missing`);
      const parsed = parseModel(JSON.parse(json));
      if (!parsed.ok)
        throw new Error(
          `portal ${portalId}: stored model ${version} is invalid: ${parsed.error.map((p) => `${p.path} ${p.message}`).join('; ')}`,
        );
      cache.set(cacheKey, parsed.value);
      return parsed.value;
    },

    /** Stores `model` as a version if it is new (idempotent), and makes it active when none is. */
    async ensureInitial(portalId: number, model: Model): Promise<void> {
      await redis.hsetnx(keys.models(portalId), String(model.version), JSON.stringify(model));
      await redis.set(keys.activeModel(portalId), String(model.version), 'NX');
    },
  };
}
export type ModelStore = ReturnType<typeof createModelStore>;

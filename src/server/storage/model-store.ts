import { DEFAULT_MODEL } from '../domain/default-model';
import {
  draftSchema,
  modelEventSchema,
  parseModel,
  parseModelAs,
  versionInfoSchema,
  type Actor,
  type Draft,
  type Model,
  type ModelEvent,
  type ModelProblem,
  type VersionInfo,
} from '@lead-qualifier/contract';
import type { ChainableCommander } from 'ioredis';
import type { Redis } from '../redis';
import type { Keys } from './keys';
import { parseStored } from './stored-json';

export class ModelConflictError extends Error {}

/**
 * Immutable model versions per portal, one of them active, with who published each and when;
 * one draft per portal. A version is never changed or deleted: rollback re-activates one.
 */
export function createModelStore(redis: Redis, keys: Keys, clock: () => number) {
  const cache = new Map<string, Model>();

  async function load(portalId: number, version: number): Promise<Model | null> {
    const cacheKey = `${portalId}:${version}`;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const json = await redis.hget(keys.models(portalId), String(version));
    if (json === null) return null;
    const parsed = parseModel(JSON.parse(json));
    if (!parsed.ok)
      throw new Error(
        `portal ${portalId}: stored model ${version} is invalid: ${parsed.error.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      );
    cache.set(cacheKey, parsed.value);
    return parsed.value;
  }

  async function activeVersion(portalId: number): Promise<number | null> {
    const v = await redis.get(keys.activeModel(portalId));
    return v === null ? null : Number(v);
  }

  /** Makes `event.version` active and records the event, in the caller's transaction. */
  function activate(tx: ChainableCommander, portalId: number, event: ModelEvent) {
    return tx
      .set(keys.activeModel(portalId), String(event.version))
      .lpush(keys.modelLog(portalId), JSON.stringify(event));
  }

  async function log(portalId: number, event: ModelEvent): Promise<void> {
    await redis.lpush(keys.modelLog(portalId), JSON.stringify(event));
  }

  return {
    activeVersion,

    /** The active model; the shipped default for a portal that has none yet. */
    async active(portalId: number): Promise<Model> {
      const version = await activeVersion(portalId);
      if (version === null) return DEFAULT_MODEL;
      const model = await load(portalId, version);
      if (!model) throw new Error(`portal ${portalId}: active model version ${version} is missing`);
      return model;
    },

    /** One stored version, or null. */
    get: load,

    /** Stores `model` as a version if it is new (idempotent), and makes it active when none is. */
    async ensureInitial(portalId: number, model: Model): Promise<void> {
      const stored = await redis.hsetnx(
        keys.models(portalId),
        String(model.version),
        JSON.stringify(model),
      );
      if (stored === 1) {
        const info: VersionInfo = {
          version: model.version,
          name: model.name,
          publishedAt: clock(),
          publishedBy: null,
          note: 'The model Lead Qualifier ships with.',
        };
        await redis.hset(keys.modelMeta(portalId), String(model.version), JSON.stringify(info));
        await log(portalId, {
          at: info.publishedAt,
          action: 'installed',
          version: model.version,
          from: null,
          by: null,
          note: info.note,
        });
      }
      await redis.set(keys.activeModel(portalId), String(model.version), 'NX');
    },

    /** Every version, newest first. */
    async versions(portalId: number): Promise<VersionInfo[]> {
      const all = await redis.hvals(keys.modelMeta(portalId));
      return all
        .map((j) => parseStored(versionInfoSchema, j, `portal ${portalId} model version info`))
        .sort((a, b) => b.version - a.version);
    },

    /** Publishes, rollbacks and the install, newest first. */
    async history(portalId: number, limit = 50): Promise<ModelEvent[]> {
      const all = await redis.lrange(keys.modelLog(portalId), 0, limit - 1);
      return all.map((j) => parseStored(modelEventSchema, j, `portal ${portalId} model history`));
    },

    /**
     * Stores `model` as the next version and makes it active. `expectedActive` guards against
     * publishing over a version another admin published meanwhile.
     */
    async publish(
      portalId: number,
      model: Model,
      by: Actor,
      note: string,
      expectedActive: number | null,
    ): Promise<VersionInfo> {
      const from = await activeVersion(portalId);
      if (expectedActive !== null && from !== null && from !== expectedActive)
        throw new ModelConflictError(
          `version ${from} was published since this draft was started from version ${expectedActive}: reload, review the change and publish again`,
        );
      // Versions are 1..n: take the next free number (HSETNX makes a race take the one after).
      for (let attempt = 0; attempt < 20; attempt++) {
        const version = (await redis.hlen(keys.models(portalId))) + 1 + attempt;
        const stored: Model = { ...model, version };
        if (
          (await redis.hsetnx(keys.models(portalId), String(version), JSON.stringify(stored))) === 0
        )
          continue;
        const info: VersionInfo = {
          version,
          name: model.name,
          publishedAt: clock(),
          publishedBy: by,
          note,
        };
        const tx = redis
          .multi()
          .hset(keys.modelMeta(portalId), String(version), JSON.stringify(info))
          .del(keys.modelDraft(portalId));
        await activate(tx, portalId, {
          at: info.publishedAt,
          action: 'published',
          version,
          from,
          by,
          note,
        }).exec();
        return info;
      }
      throw new Error(`portal ${portalId}: could not allocate a model version`);
    },

    /** Makes a stored version active again. */
    async rollback(portalId: number, version: number, by: Actor, note: string): Promise<void> {
      if (!(await load(portalId, version)))
        throw new ModelConflictError(`version ${version} does not exist`);
      const from = await activeVersion(portalId);
      if (from === version) throw new ModelConflictError(`version ${version} is already active`);
      await activate(redis.multi(), portalId, {
        at: clock(),
        action: 'rolled_back',
        version,
        from,
        by,
        note,
      }).exec();
    },

    async draft(portalId: number): Promise<Draft | null> {
      const json = await redis.get(keys.modelDraft(portalId));
      return json ? parseStored(draftSchema, json, `portal ${portalId} model draft`) : null;
    },

    /** Validates and saves the draft; an invalid one is refused and the stored draft is kept. */
    async saveDraft(
      portalId: number,
      input: unknown,
      by: Actor,
      baseVersion: number,
    ): Promise<{ ok: true; draft: Draft } | { ok: false; problems: ModelProblem[] }> {
      const parsed = parseModelAs(input, baseVersion + 1);
      if (!parsed.ok) return { ok: false, problems: parsed.error };
      const draft: Draft = { model: parsed.value, updatedAt: clock(), updatedBy: by, baseVersion };
      await redis.set(keys.modelDraft(portalId), JSON.stringify(draft));
      return { ok: true, draft };
    },

    async discardDraft(portalId: number): Promise<void> {
      await redis.del(keys.modelDraft(portalId));
    },
  };
}
export type ModelStore = ReturnType<typeof createModelStore>;

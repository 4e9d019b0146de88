import {
  parseModelAs,
  type Model,
  type ModelView,
  type VersionInfo,
} from '@lead-qualifier/contract';
import { Router } from 'express';
import { compileModel } from '../domain/compile-model';
import { inPortal } from '../domain/lifecycle';
import { AppError } from '../errors';
import { ModelConflictError } from '../storage/model-store';
import { contactNames } from './contact-names';
import { endpoint } from './endpoint';
import { settingsPropertyRoutes } from './settings-property-routes';
import { settingsReportRoutes } from './settings-report-routes';
import { settingsHandOffRoutes } from './settings-handoff-routes';
import type { SettingsDeps } from './settings-deps';
import { callerOf, signedByHubSpot } from './signed-by-hubspot';

export type { SettingsDeps } from './settings-deps';

function modelProblems(problems: { path: string; message: string }[]): AppError {
  return new AppError(
    'bad_request',
    `Nothing was saved: ${problems.length === 1 ? 'one field needs' : `${problems.length} fields need`} a change, each marked beside it and listed here.`,
    problems.map((p) => ({ path: `model.${p.path}`, message: p.message })),
  );
}

/** Validates a model from the form: the version is the store's business, not the form's. */
function validModel(input: unknown, version: number): Model {
  const parsed = parseModelAs(input, version);
  if (!parsed.ok) throw modelProblems(parsed.error);
  return parsed.value;
}

/** The same model, whatever version number each was given. */
function sameModel(a: Model, b: Model): boolean {
  return JSON.stringify({ ...a, version: 0 }) === JSON.stringify({ ...b, version: 0 });
}

/** Properties a model reads, as `contact.x`, `company.y`, `calls.z`. */
function reads(model: Model): Set<string> {
  const r = compileModel(model, { cache: false }).reads;
  return new Set([
    ...r.contact.map((p) => `contact.${p}`),
    ...r.company.map((p) => `company.${p}`),
    ...Object.entries(r.engagements).flatMap(([o, ps]) => ps.map((p) => `${o}.${p}`)),
  ]);
}

/** `/api/settings/...`: the admin's model editor, preview, versions, sync health and feedback. */
export function settingsRoutes(deps: SettingsDeps): Router {
  const router = Router();
  const clock = deps.clock;
  const signed = signedByHubSpot(deps);

  /** The portal's lifecycle stage values in order, as last read from HubSpot ([] before). */
  async function stageValues(portalId: number): Promise<string[]> {
    return ((await deps.stages.get(portalId))?.stages ?? []).map((s) => s.value);
  }

  /**
   * A model from the form, with the portal's own stage list: the status→stage mapping is
   * checked against the stages the portal has, whatever list the form was loaded with.
   */
  async function withPortalStages(portalId: number, input: unknown): Promise<unknown> {
    const stages = await stageValues(portalId);
    if (stages.length === 0 || typeof input !== 'object' || input === null) return input;
    const lifecycle = (input as { lifecycle?: unknown }).lifecycle;
    if (typeof lifecycle !== 'object' || lifecycle === null) return input;
    return { ...input, lifecycle: { ...lifecycle, stages } };
  }

  async function modelView(portalId: number): Promise<ModelView> {
    const [model, version, draft, versions, history, stages] = await Promise.all([
      deps.models.active(portalId),
      deps.models.activeVersion(portalId),
      deps.models.draft(portalId),
      deps.models.versions(portalId),
      deps.models.history(portalId),
      deps.stages.get(portalId),
    ]);
    const own = (m: Model) => inPortal(m, stages?.stages ?? []);
    return {
      active: { version: version ?? model.version, model: own(model) },
      draft: draft ? { ...draft, model: own(draft.model) } : null,
      versions,
      history,
      stageLabels: Object.fromEntries((stages?.stages ?? []).map((s) => [s.value, s.label])),
    };
  }

  /**
   * Nothing is published or rolled back unseen: the admin must have previewed exactly this
   * change (the same model, or the same version to return to) over the version active now.
   */
  async function mustHavePreviewed(
    portalId: number,
    previewId: string,
    change: { draft: Model } | { rollbackTo: number },
  ): Promise<void> {
    const [record, activeVersion] = await Promise.all([
      deps.previews.get(portalId, previewId),
      currentVersion(portalId),
    ]);
    const again = 'Run the preview again, review it, then confirm.';
    if (!record || record.status !== 'done')
      throw new AppError(
        'conflict',
        `This change has not been previewed (or its preview has not finished or has expired). ${again}`,
      );
    if (record.activeVersion !== activeVersion)
      throw new AppError(
        'conflict',
        `Version ${activeVersion} was published since this preview was run (against version ${record.activeVersion}). ${again}`,
      );
    const same =
      'draft' in change
        ? record.rollbackTo === null && sameModel(record.draft, change.draft)
        : record.rollbackTo === change.rollbackTo;
    if (!same)
      throw new AppError(
        'conflict',
        'draft' in change
          ? `The draft changed since it was previewed: the preview shows another model. ${again}`
          : `The preview was not run for a rollback to version ${change.rollbackTo}. ${again}`,
      );
  }

  async function currentVersion(portalId: number): Promise<number> {
    return (
      (await deps.models.activeVersion(portalId)) ?? (await deps.models.active(portalId)).version
    );
  }

  endpoint(router, 'model', signed, async ({ res }) => modelView(callerOf(res).portalId));

  endpoint(router, 'version', signed, async ({ params, res }) => {
    const { portalId } = callerOf(res);
    const version = Number(params.version);
    const [model, versions] = await Promise.all([
      deps.models.get(portalId, version),
      deps.models.versions(portalId),
    ]);
    const info = versions.find((v) => v.version === version);
    if (!model || !info)
      throw new AppError('not_found', `There is no version ${version}: reload the page.`);
    return { info, model };
  });

  endpoint(router, 'saveDraft', signed, async ({ body, res }) => {
    const caller = callerOf(res);
    const saved = await deps.models.saveDraft(
      caller.portalId,
      await withPortalStages(caller.portalId, body.model),
      caller.actor,
      body.baseVersion,
    );
    if (!saved.ok) throw modelProblems(saved.problems);
    return modelView(caller.portalId);
  });

  endpoint(router, 'discardDraft', signed, async ({ res }) => {
    const { portalId } = callerOf(res);
    await deps.models.discardDraft(portalId);
    return modelView(portalId);
  });

  endpoint(router, 'startPreview', signed, async ({ body, res }) => {
    const caller = callerOf(res);
    const active = await deps.models.active(caller.portalId);
    const activeVersion = await currentVersion(caller.portalId);
    let draft: Model;
    if (body.version !== undefined) {
      // A rollback's preview: the stored version, as it would apply again.
      if (body.version === activeVersion)
        throw new AppError('conflict', `Version ${body.version} is already active.`);
      const stored = await deps.models.get(caller.portalId, body.version);
      if (!stored)
        throw new AppError('not_found', `There is no version ${body.version}: reload the page.`);
      draft = stored;
    } else
      draft = validModel(await withPortalStages(caller.portalId, body.model), activeVersion + 1);
    const activeReads = reads(active);
    const unsynced = [...reads(draft)].filter((p) => !activeReads.has(p)).sort();
    const record = await deps.previews.create(caller.portalId, {
      requestedAt: clock(),
      by: caller.actor,
      activeVersion,
      draft,
      unsynced,
      rollbackTo: body.version ?? null,
    });
    await deps.producer.preview(caller.portalId, record.id);
    return record;
  });

  endpoint(router, 'preview', signed, async ({ params, res }) => {
    const { portalId } = callerOf(res);
    const record = await deps.previews.get(portalId, params.previewId);
    if (!record)
      throw new AppError(
        'not_found',
        'No such preview (previews are kept 24 hours): run it again.',
      );
    const samples = record.result?.samples ?? [];
    if (samples.length === 0) return record;
    const names = await contactNames(
      deps,
      portalId,
      samples.map((s) => s.contactId),
    );
    return {
      ...record,
      result: {
        ...record.result!,
        samples: samples.map((s) => ({ ...s, contactName: names.get(s.contactId) ?? null })),
      },
    };
  });

  endpoint(router, 'publish', signed, async ({ body, res }) => {
    const caller = callerOf(res);
    const draft = await deps.models.draft(caller.portalId);
    if (!draft)
      throw new AppError('conflict', 'There is no saved draft to publish: save one first.');
    if (draft.baseVersion !== body.baseVersion)
      throw new AppError(
        'conflict',
        `The saved draft was started from version ${draft.baseVersion}, not ${body.baseVersion}: reload the page.`,
      );
    await mustHavePreviewed(caller.portalId, body.previewId, { draft: draft.model });
    let info: VersionInfo;
    try {
      info = await deps.models.publish(
        caller.portalId,
        draft.model,
        caller.actor,
        body.note,
        body.baseVersion,
      );
    } catch (error) {
      if (error instanceof ModelConflictError) throw new AppError('conflict', error.message);
      throw error;
    }
    await deps.producer.rescorePortal(caller.portalId, 'published');
    return { published: info, ...(await modelView(caller.portalId)) };
  });

  endpoint(router, 'rollback', signed, async ({ body, res }) => {
    const caller = callerOf(res);
    await mustHavePreviewed(caller.portalId, body.previewId, { rollbackTo: body.version });
    try {
      await deps.models.rollback(caller.portalId, body.version, caller.actor, body.note);
    } catch (error) {
      if (error instanceof ModelConflictError) throw new AppError('conflict', error.message);
      throw error;
    }
    await deps.producer.rescorePortal(caller.portalId, 'rolled_back');
    return modelView(caller.portalId);
  });

  router.use(settingsPropertyRoutes(deps, signed));
  router.use(settingsReportRoutes(deps, signed));
  router.use(settingsHandOffRoutes(deps, signed));

  return router;
}

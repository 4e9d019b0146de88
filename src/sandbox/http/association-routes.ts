import { Router, type Request } from 'express';
import { associationKind } from '../associations';
import { HubSpotError, notFound, validation } from '../hubspot-error';
import { OBJECT_TYPES, resolveObjectType, type ObjectType } from '../object-types';
import type { Portal } from '../portal';
import type { SandboxState } from '../sandbox-state';
import { requireScopes, type AuthedRequest } from './auth';
import { batchBody } from './request-parts';
import { readScope, writeScope } from './scopes';
import { sendModel } from './wire';

/** Associations per `from` object per page of a v4 batch read (HubSpot pages each input). */
const PAGE = 500;
/** Inputs per v4 batch read (changelog 2025-02-10). */
const BATCH_READ_LIMIT = 1000;

function pair(req: Request, fromKey: string, toKey: string): [ObjectType, ObjectType] {
  const from = resolveObjectType(String(req.params[fromKey]));
  const to = resolveObjectType(String(req.params[toKey]));
  if (!from || !to || !associationKind(from, to)) {
    throw new HubSpotError(
      400,
      'VALIDATION_ERROR',
      `Unable to infer association between ${String(req.params[fromKey])} and ${String(req.params[toKey])}.`,
    );
  }
  return [from, to];
}

/** `[{ category, typeId, label }]`: label "Primary" on primary types, null on unlabeled ones. */
function labelled(from: ObjectType, to: ObjectType, typeIds: Set<number>) {
  const kind = associationKind(from, to)!;
  return [...typeIds]
    .sort((a, b) => a - b)
    .map((typeId) => ({
      category: 'HUBSPOT_DEFINED',
      typeId,
      label: typeId === kind.primary ? 'Primary' : null,
    }));
}

function typeIdsFrom(raw: unknown): number[] {
  if (!Array.isArray(raw))
    throw validation('The body must be an array of { associationCategory, associationTypeId }.');
  return raw.map((t: { associationCategory?: unknown; associationTypeId?: unknown }) => {
    if (t?.associationCategory !== 'HUBSPOT_DEFINED') {
      throw validation(
        `associationCategory ${String(t?.associationCategory)} is not supported by the sandbox: use HUBSPOT_DEFINED.`,
      );
    }
    const id = Number(t.associationTypeId);
    if (!Number.isInteger(id)) throw validation('associationTypeId must be a number.');
    return id;
  });
}

function checkTypeIds(from: ObjectType, to: ObjectType, ids: number[]): void {
  const kind = associationKind(from, to)!;
  const bad = ids.filter((id) => id !== kind.unlabeled && id !== kind.primary);
  if (bad.length > 0)
    throw validation(`associationTypeId ${bad.join(', ')} is not valid from ${from} to ${to}.`);
}

function page(
  portal: Portal,
  from: ObjectType,
  id: string,
  to: ObjectType,
  after: string | undefined,
) {
  const all = portal.associations.list(from, id, to).filter(([toId]) => portal.get(to, toId));
  const start = after === undefined ? 0 : all.findIndex(([toId]) => Number(toId) > Number(after));
  const slice = start < 0 ? [] : all.slice(start, start + PAGE);
  const more = start >= 0 && start + PAGE < all.length;
  return {
    to: slice.map(([toId, typeIds]) => ({
      toObjectId: Number(toId),
      associationTypes: labelled(from, to, typeIds),
    })),
    next: more ? slice[slice.length - 1]![0] : undefined,
    empty: all.length === 0,
  };
}

export function associationRoutes(state: SandboxState): Router {
  const router = Router();
  const portalOf = (req: Request) => state.portal((req as AuthedRequest).grant.portalId);
  const actorOf = (req: Request) => state.actor((req as AuthedRequest).grant);

  router.post('/crm/v4/associations/:from/:to/batch/read', (req, res) => {
    const [from, to] = pair(req, 'from', 'to');
    requireScopes(req, [readScope(from), readScope(to)]);
    const inputs = (req.body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs)) throw validation('Invalid input JSON: "inputs" must be an array.');
    if (inputs.length > BATCH_READ_LIMIT)
      throw validation(
        `Batch input of ${inputs.length} is over the limit of ${BATCH_READ_LIMIT} inputs.`,
      );
    const started = new Date();
    const portal = portalOf(req);
    const results = [];
    const errors = [];
    for (const input of inputs as Array<{ id?: unknown; after?: unknown }>) {
      const id = String(input?.id ?? '');
      const p = page(
        portal,
        from,
        id,
        to,
        input?.after === undefined ? undefined : String(input.after),
      );
      if (p.empty) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${OBJECT_TYPES[to].singular} is associated with ${OBJECT_TYPES[from].singular} ${id}.`,
          context: { fromObjectId: [id] },
        });
        continue;
      }
      results.push({
        _from: { id },
        to: p.to,
        ...(p.next !== undefined ? { paging: { next: { after: p.next } } } : {}),
      });
    }
    const body = batchBody(results, started, errors);
    sendModel(
      res,
      errors.length ? 207 : 200,
      'associations',
      errors.length
        ? 'BatchResponsePublicAssociationMultiWithLabelWithErrors'
        : 'BatchResponsePublicAssociationMultiWithLabel',
      body,
    );
  });

  const associateDefault = (
    req: Request,
    from: ObjectType,
    to: ObjectType,
    fromId: string,
    toId: string,
  ) => {
    const kind = associationKind(from, to)!;
    portalOf(req).associate(from, fromId, to, toId, [kind.unlabeled], actorOf(req));
    return {
      _from: { id: fromId },
      to: { id: toId },
      associationSpec: {
        associationCategory: 'HUBSPOT_DEFINED',
        associationTypeId: kind.unlabeled,
      },
    };
  };

  /** Associates a pair with the given HubSpot-defined types; the pair's labels, as HubSpot answers. */
  const associateLabelled = (
    req: Request,
    from: ObjectType,
    to: ObjectType,
    fromId: string,
    toId: string,
    typeIds: number[],
  ) => {
    checkTypeIds(from, to, typeIds);
    const portal = portalOf(req);
    portal.associate(from, fromId, to, toId, typeIds, actorOf(req));
    const all =
      portal.associations.list(from, fromId, to).find(([id]) => id === toId)?.[1] ??
      new Set<number>();
    return {
      fromObjectTypeId: OBJECT_TYPES[from].typeId,
      fromObjectId: Number(fromId),
      toObjectTypeId: OBJECT_TYPES[to].typeId,
      toObjectId: Number(toId),
      labels: labelled(from, to, all)
        .map((l) => l.label)
        .filter((l): l is string => l !== null),
    };
  };

  router.post('/crm/v4/associations/:from/:to/batch/associate/default', (req, res) => {
    const [from, to] = pair(req, 'from', 'to');
    requireScopes(req, [writeScope(from)]);
    const inputs = (req.body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs)) throw validation('Invalid input JSON: "inputs" must be an array.');
    if (inputs.length > 100)
      throw validation(`Batch input of ${inputs.length} is over the limit of 100 inputs.`);
    const started = new Date();
    const results = (inputs as Array<{ from?: { id?: unknown }; to?: { id?: unknown } }>).map((i) =>
      associateDefault(req, from, to, String(i?.from?.id ?? ''), String(i?.to?.id ?? '')),
    );
    sendModel(
      res,
      200,
      'associations',
      'BatchResponsePublicDefaultAssociation',
      batchBody(results, started),
    );
  });

  router.post('/crm/v4/associations/:from/:to/batch/create', (req, res) => {
    const [from, to] = pair(req, 'from', 'to');
    requireScopes(req, [writeScope(from)]);
    const inputs = (req.body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs)) throw validation('Invalid input JSON: "inputs" must be an array.');
    const started = new Date();
    const results = (
      inputs as Array<{ from?: { id?: unknown }; to?: { id?: unknown }; types?: unknown }>
    ).map((i) => {
      return associateLabelled(
        req,
        from,
        to,
        String(i?.from?.id ?? ''),
        String(i?.to?.id ?? ''),
        typeIdsFrom(i?.types),
      );
    });
    sendModel(
      res,
      201,
      'associations',
      'BatchResponseLabelsBetweenObjectPair',
      batchBody(results, started),
    );
  });

  router.put('/crm/v4/objects/:from/:fromId/associations/default/:to/:toId', (req, res) => {
    const [from, to] = pair(req, 'from', 'to');
    requireScopes(req, [writeScope(from)]);
    const started = new Date();
    const result = associateDefault(
      req,
      from,
      to,
      String(req.params['fromId']),
      String(req.params['toId']),
    );
    sendModel(
      res,
      200,
      'associations',
      'BatchResponsePublicDefaultAssociation',
      batchBody([result], started),
    );
  });

  router.put('/crm/v4/objects/:from/:fromId/associations/:to/:toId', (req, res) => {
    const [from, to] = pair(req, 'from', 'to');
    requireScopes(req, [writeScope(from)]);
    const pairLabels = associateLabelled(
      req,
      from,
      to,
      String(req.params['fromId']),
      String(req.params['toId']),
      typeIdsFrom(req.body),
    );
    sendModel(res, 201, 'associations', 'LabelsBetweenObjectPair', pairLabels);
  });

  router.get('/crm/v4/objects/:from/:fromId/associations/:to', (req, res) => {
    const [from, to] = pair(req, 'from', 'to');
    requireScopes(req, [readScope(from), readScope(to)]);
    const portal = portalOf(req);
    const fromId = String(req.params['fromId']);
    if (!portal.get(from, fromId)) throw notFound();
    const p = page(
      portal,
      from,
      fromId,
      to,
      req.query['after'] === undefined ? undefined : String(req.query['after']),
    );
    sendModel(
      res,
      200,
      'associations',
      'CollectionResponseMultiAssociatedObjectWithLabelForwardPaging',
      {
        results: p.to,
        ...(p.next !== undefined ? { paging: { next: { after: p.next } } } : {}),
      },
    );
  });

  return router;
}

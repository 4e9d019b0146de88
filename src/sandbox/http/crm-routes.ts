import { Router, type Request, type Response } from 'express';
import { HubSpotError, notFound, validation } from '../hubspot-error';
import { OBJECT_TYPES, resolveObjectType, type ObjectType } from '../object-types';
import type { Actor, Portal } from '../portal';
import { parseSearch, runSearch } from '../search';
import type { SandboxState } from '../sandbox-state';
import { requireScopes, type AuthedRequest } from './auth';
import { batchBody, objectTypeParam } from './request-parts';
import { readScope, writeScope } from './scopes';
import { toPublicObject, withAssociations, withPropertyHistory } from './public-object';
import { afterCreate, createProperties } from '../leads';
import { boolParam, listParam, sendModel } from './wire';

const BATCH_LIMIT = 100;
const HISTORY_BATCH_LIMIT = 50;
const LIST_LIMIT = 100;

function body(req: Request): Record<string, unknown> {
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw validation('Invalid input JSON: the request body must be a JSON object.');
  }
  return req.body as Record<string, unknown>;
}

function batchInputs(req: Request): Array<Record<string, unknown>> {
  const inputs = body(req)['inputs'];
  if (!Array.isArray(inputs)) throw validation('Invalid input JSON: "inputs" must be an array.');
  if (inputs.length > BATCH_LIMIT)
    throw validation(`Batch input of ${inputs.length} is over the limit of ${BATCH_LIMIT} inputs.`);
  return inputs.map((i, n) => {
    if (i === null || typeof i !== 'object') throw validation(`inputs[${n}] must be an object.`);
    return i as Record<string, unknown>;
  });
}

/** Associations given on create: `[{ to: { id }, types: [{ associationCategory, associationTypeId }] }]`. */
function createAssociations(
  portal: Portal,
  type: ObjectType,
  id: string,
  raw: unknown,
  actor: Actor,
): void {
  if (raw === undefined) return;
  if (!Array.isArray(raw)) throw validation('associations must be an array.');
  for (const a of raw as Array<{
    to?: { id?: unknown };
    types?: Array<{ associationTypeId?: unknown }>;
  }>) {
    const toId = String(a?.to?.id ?? '');
    const typeIds = (a?.types ?? []).map((t) => Number(t.associationTypeId));
    const toType = [...Object.keys(OBJECT_TYPES)]
      .map((t) => t as ObjectType)
      .find((t) => portal.get(t, toId));
    if (!toType) throw validation(`The object to associate, ${toId}, does not exist.`);
    portal.associate(type, id, toType, toId, typeIds, actor);
  }
}

function uniqueIds(inputs: Array<Record<string, unknown>>): string[] {
  const ids = inputs.map((i) => String(i['id'] ?? ''));
  const dupes = ids.filter((id, k) => ids.indexOf(id) !== k);
  if (dupes.length > 0)
    throw validation(
      `Duplicate IDs found in batch input: [${[...new Set(dupes)].join(', ')}]. IDs must be unique`,
    );
  return ids;
}

function missingError(type: ObjectType, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${OBJECT_TYPES[type].singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
  };
}

/** A batch read or update: 200, or 207 naming the ids HubSpot could not find. */
function sendBatch(
  res: Response,
  type: ObjectType,
  results: unknown[],
  started: Date,
  missing: string[],
): void {
  const errors = missing.length > 0 ? [missingError(type, missing)] : [];
  sendModel(
    res,
    errors.length > 0 ? 207 : 200,
    'objects',
    errors.length > 0
      ? 'BatchResponseSimplePublicObjectWithErrors'
      : 'BatchResponseSimplePublicObject',
    batchBody(results, started, errors),
  );
}

export function crmRoutes(state: SandboxState): Router {
  const router = Router();
  const portalOf = (req: Request) => state.portal((req as AuthedRequest).grant.portalId);
  const actorOf = (req: Request) => state.actor((req as AuthedRequest).grant);

  // https://developers.hubspot.com/docs/api/crm/contacts (GDPR delete): 204, by id or by email.
  router.post('/crm/v3/objects/contacts/gdpr-delete', (req, res) => {
    requireScopes(req, [writeScope('contacts')]);
    const b = body(req);
    const portal = portalOf(req);
    const key = String(b['objectId'] ?? '');
    const id =
      b['idProperty'] === 'email'
        ? [...portal.all('contacts')].find((c) => c.properties['email'] === key)?.id
        : key;
    if (!id || !portal.get('contacts', id)) throw notFound(`Contact ${key} does not exist.`);
    portal.purge('contacts', id, actorOf(req));
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/search', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [readScope(type)]);
    const search = parseSearch(req.body);
    const { total, page, nextAfter } = runSearch(portalOf(req), type, search);
    sendModel(res, 200, 'objects', 'CollectionResponseWithTotalSimplePublicObjectForwardPaging', {
      total,
      results: page.map((o) => toPublicObject(portalOf(req), type, o, search.properties)),
      ...(nextAfter !== undefined ? { paging: { next: { after: String(nextAfter) } } } : {}),
    });
  });

  router.post('/crm/v3/objects/:objectType/batch/read', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [readScope(type)]);
    const started = new Date();
    const portal = portalOf(req);
    const b = body(req);
    const properties = listParam(b['properties']);
    const withHistory = listParam(b['propertiesWithHistory']) ?? [];
    const inputs = batchInputs(req);
    // HubSpot's answer to more than 50 inputs with histories (its message, as integrations
    // quote it: https://github.com/PipedreamHQ/pipedream/pull/8462).
    if (withHistory.length > 0 && inputs.length > HISTORY_BATCH_LIMIT)
      throw validation(
        `The maximum number of inputs supported in a batch request for property histories is ${HISTORY_BATCH_LIMIT}. Please reduce the number of items and try again`,
      );
    const archived = boolParam(req.query['archived']);
    const found = [];
    const missing: string[] = [];
    for (const input of inputs) {
      const obj = portal.get(type, String(input['id'] ?? ''), archived);
      if (obj) found.push(withPropertyHistory(portal, type, obj, properties, withHistory));
      else missing.push(String(input['id'] ?? ''));
    }
    sendBatch(res, type, found, started, missing);
  });

  router.post('/crm/v3/objects/:objectType/batch/create', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [writeScope(type)]);
    const started = new Date();
    const portal = portalOf(req);
    const inputs = batchInputs(req);
    // HubSpot validates the whole batch before writing any of it.
    const properties = inputs.map((input) =>
      createProperties(portal, type, input['properties'], input['associations']),
    );
    properties.forEach((p) => portal.validateWrite(type, p ?? {}));
    const created = inputs.map((input, k) => {
      const obj = portal.create(type, properties[k] ?? {}, actorOf(req));
      createAssociations(portal, type, obj.id, input['associations'], actorOf(req));
      afterCreate(portal, type, obj.id);
      return toPublicObject(portal, type, obj, Object.keys((input['properties'] as object) ?? {}));
    });
    sendModel(
      res,
      201,
      'objects',
      'BatchResponseSimplePublicObject',
      batchBody(created, started, []),
    );
  });

  router.post('/crm/v3/objects/:objectType/batch/update', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [writeScope(type)]);
    const started = new Date();
    const portal = portalOf(req);
    const inputs = batchInputs(req);
    const ids = uniqueIds(inputs);
    inputs.forEach((input) => portal.validateWrite(type, input['properties'] ?? {}));
    const updated: ReturnType<typeof toPublicObject>[] = [];
    const missing: string[] = [];
    inputs.forEach((input, k) => {
      if (!portal.get(type, ids[k]!)) {
        missing.push(ids[k]!);
        return;
      }
      const obj = portal.update(type, ids[k]!, input['properties'] ?? {}, actorOf(req));
      updated.push(
        toPublicObject(portal, type, obj, Object.keys((input['properties'] as object) ?? {})),
      );
    });
    sendBatch(res, type, updated, started, missing);
  });

  router.post('/crm/v3/objects/:objectType/batch/archive', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [writeScope(type)]);
    const portal = portalOf(req);
    for (const id of batchInputs(req).map((i) => String(i['id'] ?? ''))) {
      if (portal.get(type, id)) portal.archive(type, id, actorOf(req));
    }
    res.status(204).end();
  });

  router.post('/crm/v3/objects/:objectType/merge', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [writeScope(type)]);
    const b = body(req);
    const portal = portalOf(req);
    const merged = portal.merge(
      type,
      String(b['primaryObjectId'] ?? ''),
      String(b['objectIdToMerge'] ?? ''),
      actorOf(req),
    );
    sendModel(
      res,
      200,
      'objects',
      'SimplePublicObject',
      toPublicObject(portal, type, merged, undefined),
    );
  });

  router.get('/crm/v3/objects/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [readScope(type)]);
    const portal = portalOf(req);
    const limit = req.query['limit'] === undefined ? 10 : Number(req.query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT)
      throw validation(`limit must be a whole number from 1 to ${LIST_LIMIT}.`);
    const after = req.query['after'] === undefined ? undefined : String(req.query['after']);
    if (after !== undefined && !/^\d+$/.test(after))
      throw validation('after must be the paging cursor a previous page returned.');
    const properties = listParam(req.query['properties']);
    const assocTypes = (listParam(req.query['associations']) ?? [])
      .map(resolveObjectType)
      .filter((t): t is ObjectType => t !== null);
    const { items, next } = portal.page(type, limit, after, boolParam(req.query['archived']));
    sendModel(
      res,
      200,
      'objects',
      'CollectionResponseSimplePublicObjectWithAssociationsForwardPaging',
      {
        results: items.map((o) => withAssociations(portal, type, o, properties, assocTypes)),
        ...(next !== undefined ? { paging: { next: { after: next } } } : {}),
      },
    );
  });

  router.get('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [readScope(type)]);
    const portal = portalOf(req);
    const idProperty =
      req.query['idProperty'] === undefined ? undefined : String(req.query['idProperty']);
    const id = String(req.params['objectId']);
    const archived = boolParam(req.query['archived']);
    const obj = idProperty
      ? [...portal.all(type)].find(
          (o) => o.properties[idProperty]?.toLowerCase() === id.toLowerCase(),
        )
      : portal.get(type, id, archived);
    if (!obj) throw notFound();
    const assocTypes = (listParam(req.query['associations']) ?? [])
      .map(resolveObjectType)
      .filter((t): t is ObjectType => t !== null);
    sendModel(
      res,
      200,
      'objects',
      'SimplePublicObjectWithAssociations',
      withAssociations(portal, type, obj, listParam(req.query['properties']), assocTypes),
    );
  });

  router.post('/crm/v3/objects/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [writeScope(type)]);
    const portal = portalOf(req);
    const b = body(req);
    const email = (b['properties'] as Record<string, unknown> | undefined)?.['email'];
    if (type === 'contacts' && typeof email === 'string' && email !== '') {
      const existing = [...portal.all('contacts')].find(
        (c) => c.properties['email']?.toLowerCase() === email.toLowerCase(),
      );
      if (existing)
        throw new HubSpotError(
          409,
          'CONFLICT',
          `Contact already exists. Existing ID: ${existing.id}`,
        );
    }
    const properties = createProperties(portal, type, b['properties'], b['associations']);
    portal.validateWrite(type, properties ?? {});
    const obj = portal.create(type, properties ?? {}, actorOf(req));
    createAssociations(portal, type, obj.id, b['associations'], actorOf(req));
    afterCreate(portal, type, obj.id);
    sendModel(
      res,
      201,
      'objects',
      'SimplePublicObject',
      toPublicObject(portal, type, obj, Object.keys((b['properties'] as object) ?? {})),
    );
  });

  router.patch('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [writeScope(type)]);
    const portal = portalOf(req);
    const b = body(req);
    const obj = portal.update(
      type,
      String(req.params['objectId']),
      b['properties'] ?? {},
      actorOf(req),
    );
    sendModel(
      res,
      200,
      'objects',
      'SimplePublicObject',
      toPublicObject(portal, type, obj, Object.keys((b['properties'] as object) ?? {})),
    );
  });

  router.delete('/crm/v3/objects/:objectType/:objectId', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [writeScope(type)]);
    const portal = portalOf(req);
    // HubSpot answers 204 whether or not the object existed.
    if (portal.get(type, String(req.params['objectId'])))
      portal.archive(type, String(req.params['objectId']), actorOf(req));
    res.status(204).end();
  });

  return router;
}

import { Router, type Request } from 'express';
import { notFound, validation } from '../hubspot-error';
import type { SandboxOwner } from '../owners';
import { resolveObjectType } from '../object-types';
import { LEAD_PIPELINE, LEAD_STAGES } from '../property-catalog';
import type { SandboxState } from '../sandbox-state';
import { requireAnyScope, requireScopes, type AuthedRequest } from './auth';
import { boolParam, sendModel } from './wire';

const LIMIT = 500;

function publicOwner(o: SandboxOwner) {
  return {
    id: o.id,
    email: o.email,
    type: 'PERSON',
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.userId,
    userIdIncludingInactive: o.userId,
    createdAt: new Date(o.createdAt),
    updatedAt: new Date(o.updatedAt),
    archived: o.archived,
    teams: o.teams,
  };
}

/** `limit` and `after` (an offset), as the owners and users lists page. */
function paging(req: Request, max: number): { limit: number; offset: number } {
  const limit = req.query['limit'] === undefined ? 100 : Number(req.query['limit']);
  if (!Number.isInteger(limit) || limit < 1 || limit > max)
    throw validation(`limit must be a whole number from 1 to ${max}.`);
  const offset = req.query['after'] === undefined ? 0 : Number(req.query['after']);
  if (!Number.isInteger(offset) || offset < 0) throw validation('after must be a paging cursor.');
  return { limit, offset };
}

/**
 * The owners API (https://developers.hubspot.com/docs/api-reference/latest/crm/owners/guide:
 * `GET /crm/v3/owners`, paged, filterable by email, active or archived; scope
 * crm.objects.owners.read) and the user provisioning API's user list with each user's seats
 * (`GET /settings/users/2026-09`, `seatNames`, HubSpot-public-api-spec-collection Settings/User
 * Provisioning 2026-09; scope settings.users.read or crm.objects.users.read).
 */
export function ownerRoutes(state: SandboxState): Router {
  const router = Router();
  const portalOf = (req: Request) => state.portal((req as AuthedRequest).grant.portalId);

  router.get('/crm/v3/owners', (req, res) => {
    requireScopes(req, ['crm.objects.owners.read']);
    const { limit, offset } = paging(req, LIMIT);
    const email = typeof req.query['email'] === 'string' ? req.query['email'].toLowerCase() : null;
    const all = portalOf(req)
      .staff.all(boolParam(req.query['archived']))
      .filter((o) => email === null || o.email.toLowerCase() === email);
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? String(offset + limit) : undefined;
    sendModel(res, 200, 'owners', 'CollectionResponsePublicOwnerForwardPaging', {
      results: page.map(publicOwner),
      ...(next ? { paging: { next: { after: next } } } : {}),
    });
  });

  router.get('/crm/v3/owners/:ownerId', (req, res) => {
    requireScopes(req, ['crm.objects.owners.read']);
    const owner = portalOf(req).staff.get(String(req.params['ownerId']));
    if (!owner) throw notFound(`Owner ${String(req.params['ownerId'])} does not exist.`);
    sendModel(res, 200, 'owners', 'PublicOwner', publicOwner(owner));
  });

  // No SDK model has `seatNames` yet (13.5 serves settings/users v3): the body follows the
  // 2026-09 spec's PublicUser and is read back with the app's own schema.
  router.get('/settings/users/2026-09', (req, res) => {
    requireAnyScope(req, ['settings.users.read', 'crm.objects.users.read']);
    const { limit, offset } = paging(req, 100);
    const all = portalOf(req).staff.all();
    const page = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? String(offset + limit) : undefined;
    res.status(200).json({
      results: page.map((o) => ({
        id: String(o.userId),
        email: o.email,
        firstName: o.firstName,
        lastName: o.lastName,
        roleIds: [],
        superAdmin: false,
        ...(o.teams[0] ? { primaryTeamId: o.teams[0].id } : {}),
        secondaryTeamIds: o.teams.slice(1).map((t) => t.id),
        seatNames: o.seats,
      })),
      ...(next ? { paging: { next: { after: next } } } : {}),
    });
  });

  // https://developers.hubspot.com/docs/api-reference/latest/crm/pipelines/guide: the lead
  // pipelines with their stages in order (the sandbox has HubSpot's default one).
  router.get('/crm/v3/pipelines/:objectType', (req, res) => {
    if (resolveObjectType(String(req.params['objectType'])) !== 'leads')
      throw validation('The sandbox serves the lead pipelines only.');
    requireScopes(req, ['crm.objects.leads.read']);
    const at = new Date('2024-01-01T00:00:00Z');
    sendModel(res, 200, 'pipelines', 'CollectionResponsePipelineNoPaging', {
      results: [
        {
          id: LEAD_PIPELINE,
          label: 'Lead pipeline',
          displayOrder: 0,
          archived: false,
          createdAt: at,
          updatedAt: at,
          stages: LEAD_STAGES.map((stage, displayOrder) => ({
            id: stage.id,
            label: stage.label,
            displayOrder,
            archived: false,
            metadata: {},
            createdAt: at,
            updatedAt: at,
          })),
        },
      ],
    });
  });

  return router;
}

import { validation } from './hubspot-error';
import { associationKind } from './associations';
import { LEAD_PIPELINE, LEAD_STAGES } from './property-catalog';
import type { ObjectType } from './object-types';
import type { Portal } from './portal';
import { invalid, type InvalidValue } from './property-values';

/*
 * What HubSpot asks of a new lead (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide,
 * "Create leads"): a name in `hs_lead_name`, an association to an existing contact in the same
 * request, and an owner who has a seat ("leads can only be worked via the workspace"). A lead
 * made without a pipeline starts in the default lead pipeline's first stage.
 */

/** The properties a created object starts with; a lead's checked as HubSpot does (400s). */
export function createProperties(
  portal: Portal,
  type: ObjectType,
  properties: unknown,
  associations: unknown,
): unknown {
  if (type !== 'leads') return properties;
  const props = (properties ?? {}) as Record<string, unknown>;
  const name = props['hs_lead_name'];
  if (typeof name !== 'string' || name.trim() === '')
    throw validation('A lead must have a name: set the hs_lead_name property.', undefined, {
      propertyName: ['hs_lead_name'],
    });
  const contactIds = (Array.isArray(associations) ? associations : [])
    .map((a: { to?: { id?: unknown } }) => String(a?.to?.id ?? ''))
    .filter((id) => portal.get('contacts', id));
  if (contactIds.length === 0)
    throw validation(
      'A lead must be associated with an existing contact when it is created: add an association to a contact (associationTypeId 578).',
    );
  return {
    hs_pipeline: LEAD_PIPELINE,
    hs_pipeline_stage: LEAD_STAGES[0].id,
    ...props,
  };
}

/** After a lead's associations are made: its primary contact's id, as HubSpot fills it in. */
export function afterCreate(portal: Portal, type: ObjectType, id: string): void {
  if (type !== 'leads') return;
  const kind = associationKind('leads', 'contacts')!;
  const links = [...portal.associations.list('leads', id, 'contacts')];
  const primary = links.find(([, typeIds]) => typeIds.has(kind.primary!)) ?? links[0];
  const lead = portal.get('leads', id);
  if (lead && primary) lead.properties['hs_primary_contact_id'] = primary[0];
}

/**
 * `hubspot_owner_id` must name an owner of the portal (HubSpot: "… was not one of the allowed
 * options"), and a lead's owner must have a seat: the value is refused like any invalid one.
 */
export function ownerProblem(
  portal: Portal,
  type: ObjectType,
  values: Record<string, unknown>,
): InvalidValue | null {
  const ownerId = values['hubspot_owner_id'];
  if (ownerId === undefined || ownerId === null || ownerId === '') return null;
  const owner = portal.staff.get(String(ownerId));
  if (!owner)
    return invalid(
      'hubspot_owner_id',
      'INVALID_OPTION',
      `${String(ownerId)} was not one of the allowed options: an owner id of this account`,
    );
  if (type === 'leads' && owner.seats.length === 0)
    return invalid(
      'hubspot_owner_id',
      'INVALID_OPTION',
      `Leads can only be assigned to users with a seat: ${owner.email} has none. Assign a seat to the user or choose another owner.`,
    );
  return null;
}

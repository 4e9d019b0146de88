import type {
  CollectionResponseAssociatedId,
  SimplePublicObject,
  SimplePublicObjectWithAssociations,
  ValueWithTimestamp,
} from '@hubspot/api-client/lib/codegen/crm/objects';
import { associationKind } from '../associations';
import {
  DEFAULT_PROPERTIES,
  OBJECT_TYPES,
  createdDateProperty,
  modifiedDateProperty,
  type ObjectType,
} from '../object-types';
import type { Portal, StoredObject } from '../portal';

/**
 * An object as HubSpot returns it: the requested properties (or the type's defaults), a
 * requested property with no value as null, an unknown one left out, and the id and dates
 * always there.
 */
export function toPublicObject(
  portal: Portal,
  type: ObjectType,
  obj: StoredObject,
  requested: string[] | undefined,
): SimplePublicObject {
  const names = new Set(requested && requested.length > 0 ? requested : DEFAULT_PROPERTIES[type]);
  names.add('hs_object_id');
  names.add(createdDateProperty(type));
  names.add(modifiedDateProperty(type));
  const properties: Record<string, string | null> = {};
  for (const name of [...names].sort()) {
    if (!portal.propertyDef(type, name)) continue;
    properties[name] = obj.properties[name] ?? null;
  }
  return {
    id: obj.id,
    properties,
    createdAt: new Date(obj.createdAt),
    updatedAt: new Date(obj.updatedAt),
    archived: obj.archived,
    ...(obj.archivedAt !== null ? { archivedAt: new Date(obj.archivedAt) } : {}),
  };
}

/**
 * The object with `propertiesWithHistory`: each requested property the portal defines, its
 * values newest first (the batch read's answer,
 * https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/batch/get-objects).
 */
export function withPropertyHistory(
  portal: Portal,
  type: ObjectType,
  obj: StoredObject,
  requested: string[] | undefined,
  withHistory: string[],
): SimplePublicObject {
  const base = toPublicObject(portal, type, obj, requested);
  if (withHistory.length === 0) return base;
  const propertiesWithHistory: Record<string, ValueWithTimestamp[]> = {};
  for (const name of withHistory) {
    if (!portal.propertyDef(type, name)) continue;
    propertiesWithHistory[name] = portal.propertyHistory(obj, name).map((h) => ({
      value: h.value,
      timestamp: new Date(h.at),
      sourceType: h.sourceType,
    }));
  }
  return { ...base, propertiesWithHistory };
}

/** `contact_to_company` (Primary) and `contact_to_company_unlabeled`: the v3 association type names. */
function v3TypeName(from: ObjectType, to: ObjectType, typeId: number): string {
  const base = `${OBJECT_TYPES[from].singular}_to_${OBJECT_TYPES[to].singular}`;
  const kind = associationKind(from, to);
  return kind && typeId === kind.unlabeled && kind.primary !== undefined
    ? `${base}_unlabeled`
    : base;
}

export function withAssociations(
  portal: Portal,
  type: ObjectType,
  obj: StoredObject,
  requested: string[] | undefined,
  associationTypes: ObjectType[],
): SimplePublicObjectWithAssociations {
  const base = toPublicObject(portal, type, obj, requested);
  const associations: Record<string, CollectionResponseAssociatedId> = {};
  for (const to of associationTypes) {
    const results = portal.associations
      .list(type, obj.id, to)
      .filter(([id]) => portal.get(to, id))
      .flatMap(([id, typeIds]) =>
        [...typeIds].map((typeId) => ({ id, type: v3TypeName(type, to, typeId) })),
      );
    if (results.length > 0) associations[to] = { results };
  }
  return Object.keys(associations).length > 0 ? { ...base, associations } : base;
}

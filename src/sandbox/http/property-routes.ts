import type { Property, PropertyGroup } from '@hubspot/api-client/lib/codegen/crm/properties';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { HubSpotError, notFound, validation } from '../hubspot-error';
import type { ObjectType } from '../object-types';
import type { GroupDef, PropertyDef } from '../property-catalog';
import type { SandboxState } from '../sandbox-state';
import { requireAnyScope, requireScopes, type AuthedRequest } from './auth';
import { readScope } from './scopes';
import { batchBody, objectTypeParam } from './request-parts';
import { sendModel } from './wire';

/** Which fieldTypes HubSpot accepts for each property type. */
const FIELD_TYPES: Record<PropertyDef['type'], readonly string[]> = {
  string: ['text', 'textarea', 'html', 'file', 'phonenumber'],
  number: ['number', 'calculation_equation'],
  enumeration: ['select', 'radio', 'checkbox', 'booleancheckbox', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  bool: ['booleancheckbox', 'calculation_equation'],
  phone_number: ['phonenumber'],
};

const propertyCreate = z.object({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{0,99}$/,
      'must start with a lower-case letter and use only a-z, 0-9 and _',
    ),
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'enumeration', 'date', 'datetime', 'bool', 'phone_number']),
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  description: z.string().optional(),
  displayOrder: z.number().int().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  options: z
    .array(
      z.object({
        label: z.string().min(1),
        value: z.string().min(1),
        displayOrder: z.number().int().optional(),
        hidden: z.boolean().optional(),
        description: z.string().optional(),
      }),
    )
    .optional(),
});

const groupCreate = z.object({
  name: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{0,99}$/,
      'must start with a lower-case letter and use only a-z, 0-9 and _',
    ),
  label: z.string().min(1),
  displayOrder: z.number().int().optional(),
});

function toProperty(def: PropertyDef): Property {
  return {
    name: def.name,
    label: def.label,
    type: def.type,
    fieldType: def.fieldType,
    description: def.description,
    groupName: def.groupName,
    options: def.options,
    displayOrder: def.displayOrder,
    calculated: def.calculated,
    externalOptions: false,
    hasUniqueValue: def.hasUniqueValue,
    hidden: def.hidden,
    hubspotDefined: def.hubspotDefined,
    modificationMetadata: {
      archivable: !def.hubspotDefined,
      readOnlyDefinition: def.hubspotDefined,
      readOnlyValue: def.readOnlyValue,
    },
    formField: def.formField,
    createdAt: new Date(def.createdAt),
    updatedAt: new Date(def.updatedAt),
    archived: false,
  };
}

const toGroup = (g: GroupDef): PropertyGroup => ({
  name: g.name,
  label: g.label,
  displayOrder: g.displayOrder,
  archived: g.archived,
});

/** Validates one PropertyCreate as HubSpot would; the definition to store, or its 400. */
function definitionFrom(input: unknown, now: number): PropertyDef {
  const parsed = propertyCreate.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw validation(`Invalid input JSON: ${issue.path.join('.') || 'body'} ${issue.message}`);
  }
  const p = parsed.data;
  if (!FIELD_TYPES[p.type].includes(p.fieldType)) {
    throw validation(
      `fieldType "${p.fieldType}" is not valid for type "${p.type}"; use one of ${FIELD_TYPES[p.type].join(', ')}.`,
    );
  }
  if (
    p.type === 'enumeration' &&
    p.fieldType !== 'booleancheckbox' &&
    (p.options ?? []).length === 0
  ) {
    throw validation(`Property "${p.name}" of type enumeration needs options.`);
  }
  const iso = new Date(now).toISOString();
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description ?? '',
    groupName: p.groupName,
    options: (p.type === 'bool'
      ? [
          { label: 'True', value: 'true' },
          { label: 'False', value: 'false' },
        ]
      : (p.options ?? [])
    ).map((o, k) => ({
      label: o.label,
      value: o.value,
      displayOrder: 'displayOrder' in o && o.displayOrder !== undefined ? o.displayOrder : k,
      hidden: 'hidden' in o && o.hidden !== undefined ? o.hidden : false,
    })),
    displayOrder: p.displayOrder ?? -1,
    hubspotDefined: false,
    hidden: p.hidden ?? false,
    calculated: false,
    hasUniqueValue: p.hasUniqueValue ?? false,
    formField: p.formField ?? false,
    readOnlyValue: false,
    createdAt: iso,
    updatedAt: iso,
  };
}

const schemaScope = (type: ObjectType, access: 'read' | 'write') =>
  `crm.schemas.${type === 'companies' || type === 'deals' ? type : 'contacts'}.${access}`;

/**
 * Reading property definitions takes either the schema scope or the object's read scope (the
 * `security` of the Properties v3 GETs in HubSpot's published spec lists both); writing them
 * takes the schema write scope.
 */
const readPropertiesScopes = (type: ObjectType) => [schemaScope(type, 'read'), readScope(type)];

export function propertyRoutes(state: SandboxState): Router {
  const router = Router();
  const portalOf = (req: Request) => state.portal((req as AuthedRequest).grant.portalId);

  router.get('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = objectTypeParam(req);
    requireAnyScope(req, readPropertiesScopes(type));
    sendModel(res, 200, 'properties', 'CollectionResponsePropertyGroupNoPaging', {
      results: portalOf(req).groups(type).map(toGroup),
    });
  });

  router.get('/crm/v3/properties/:objectType/groups/:groupName', (req, res) => {
    const type = objectTypeParam(req);
    requireAnyScope(req, readPropertiesScopes(type));
    const group = portalOf(req).group(type, String(req.params['groupName']));
    if (!group) throw notFound(`Unable to find property group ${String(req.params['groupName'])}`);
    sendModel(res, 200, 'properties', 'PropertyGroup', toGroup(group));
  });

  router.post('/crm/v3/properties/:objectType/groups', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [schemaScope(type, 'write')]);
    const parsed = groupCreate.safeParse(req.body);
    if (!parsed.success)
      throw validation(
        `Invalid input JSON: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    const group = portalOf(req).addGroup(type, {
      name: parsed.data.name,
      label: parsed.data.label,
      displayOrder: parsed.data.displayOrder ?? -1,
      archived: false,
    });
    sendModel(res, 201, 'properties', 'PropertyGroup', toGroup(group));
  });

  router.post('/crm/v3/properties/:objectType/batch/create', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [schemaScope(type, 'write')]);
    const inputs = (req.body as { inputs?: unknown })?.inputs;
    if (!Array.isArray(inputs)) throw validation('Invalid input JSON: "inputs" must be an array.');
    if (inputs.length > 100)
      throw validation(`Batch input of ${inputs.length} is over the limit of 100 inputs.`);
    const started = new Date();
    const portal = portalOf(req);
    const defs = inputs.map((input) => definitionFrom(input, state.clock()));
    const results: Property[] = [];
    const errors: Array<Record<string, unknown>> = [];
    for (const def of defs) {
      try {
        results.push(toProperty(portal.addProperty(type, def)));
      } catch (error) {
        if (!(error instanceof HubSpotError) || error.status !== 409) throw error;
        errors.push({
          status: 'error',
          category: 'OBJECT_ALREADY_EXISTS',
          message: error.message,
          context: { name: [def.name] },
        });
      }
    }
    const body = batchBody(results, started, errors);
    sendModel(
      res,
      errors.length ? 207 : 201,
      'properties',
      errors.length ? 'BatchResponsePropertyWithErrors' : 'BatchResponseProperty',
      body,
    );
  });

  router.get('/crm/v3/properties/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    requireAnyScope(req, readPropertiesScopes(type));
    sendModel(res, 200, 'properties', 'CollectionResponsePropertyNoPaging', {
      results: portalOf(req).propertyDefs(type).map(toProperty),
    });
  });

  router.get('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = objectTypeParam(req);
    requireAnyScope(req, readPropertiesScopes(type));
    const def = portalOf(req).propertyDef(type, String(req.params['propertyName']));
    if (!def) throw notFound(`Unable to find property ${String(req.params['propertyName'])}`);
    sendModel(res, 200, 'properties', 'Property', toProperty(def));
  });

  const propertyUpdate = z.object({
    label: z.string().min(1).optional(),
    options: z
      .array(
        z.object({
          label: z.string().min(1),
          value: z.string().min(1),
          hidden: z.boolean().optional(),
          displayOrder: z.number().optional(),
          description: z.string().optional(),
        }),
      )
      .optional(),
  });

  router.patch('/crm/v3/properties/:objectType/:propertyName', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [schemaScope(type, 'write')]);
    const parsed = propertyUpdate.safeParse(req.body);
    if (!parsed.success)
      throw validation(`Invalid property update: ${parsed.error.issues[0]?.message ?? 'bad body'}`);
    const def = portalOf(req).updateProperty(type, String(req.params['propertyName']), parsed.data);
    sendModel(res, 200, 'properties', 'Property', toProperty(def));
  });

  router.post('/crm/v3/properties/:objectType', (req, res) => {
    const type = objectTypeParam(req);
    requireScopes(req, [schemaScope(type, 'write')]);
    const def = portalOf(req).addProperty(type, definitionFrom(req.body, state.clock()));
    sendModel(res, 201, 'properties', 'Property', toProperty(def));
  });

  return router;
}

import { ObjectSerializer as AssociationsSerializer } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/ObjectSerializer';
import { ObjectSerializer as ObjectsSerializer } from '@hubspot/api-client/lib/codegen/crm/objects/models/ObjectSerializer';
import { ObjectSerializer as PropertiesSerializer } from '@hubspot/api-client/lib/codegen/crm/properties/models/ObjectSerializer';
import { ObjectSerializer as OAuthSerializer } from '@hubspot/api-client/lib/codegen/oauth/models/ObjectSerializer';
import { ObjectSerializer as PipelinesSerializer } from '@hubspot/api-client/lib/codegen/crm/pipelines/models/ObjectSerializer';
import { ObjectSerializer as OwnersSerializer } from '@hubspot/api-client/lib/codegen/crm/owners/models/ObjectSerializer';
import type { Response } from 'express';

/**
 * Every success body the sandbox sends is built as one of @hubspot/api-client's model types
 * and serialised by that API module's own ObjectSerializer: what goes on the wire is what the
 * SDK (generated from HubSpot's OpenAPI specs) reads back.
 */
export const SERIALIZERS = {
  objects: ObjectsSerializer,
  properties: PropertiesSerializer,
  associations: AssociationsSerializer,
  oauth: OAuthSerializer,
  owners: OwnersSerializer,
  pipelines: PipelinesSerializer,
} as const;
export type SerializerModule = keyof typeof SERIALIZERS;

export function sendModel(
  res: Response,
  status: number,
  module: SerializerModule,
  type: string,
  value: unknown,
): void {
  // Written directly: res.json's content negotiation was a visible share of each request.
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(SERIALIZERS[module].serialize(value, type, '')));
}

/** `properties=a&properties=b` (the SDK) or `properties=a,b` (HubSpot accepts both). */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  const names = parts.map((p) => p.trim()).filter(Boolean);
  return names;
}

export function boolParam(value: unknown): boolean {
  return value === 'true' || (Array.isArray(value) && value.includes('true'));
}

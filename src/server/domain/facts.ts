import { z } from 'zod';
import { engagementObjects, type EngagementObject } from '@lead-qualifier/contract';
import type { PropertyValue } from './values';

/** A CRM object as HubSpot's v3 API returns it: `id`, `properties`, optional timestamps. */
export interface CrmObject {
  id: string;
  properties: Record<string, PropertyValue>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
  /**
   * Earlier values of some properties, newest first, as HubSpot returns them when a read asks
   * for `propertiesWithHistory`: each conversion's form name, each step of a counter.
   */
  propertiesWithHistory?: Record<string, PropertyHistory>;
}

/** One property's values over time, newest first. */
export type PropertyHistory = Array<{ value: PropertyValue; timestamp: string }>;

/** What the model reads about one contact, shaped as HubSpot sends it. */
export interface Facts {
  contact: CrmObject;
  company: CrmObject | null;
  engagements: Partial<Record<EngagementObject, CrmObject[]>>;
}

/**
 * HubSpot sends strings or null; JSON written by hand or by other tools may carry numbers and
 * booleans, which are read as their text. Checked in one pass over the record rather than a
 * union per value: this runs for every property of every object in a backfill.
 */
const PROPERTIES_SHAPE = 'must be an object of property names to string values';
const properties = z.unknown().transform((input, ctx) => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    ctx.addIssue({ code: 'custom', message: PROPERTIES_SHAPE });
    return z.NEVER;
  }
  const record = input as Record<string, unknown>;
  const out: Record<string, string | null> = {};
  for (const key in record) {
    const value = record[key];
    if (value === null || typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else if (value === undefined) continue;
    else {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'must be a string, a number, a boolean or null',
      });
    }
  }
  return out;
});

const crmObjectSchema = z.object({
  id: z
    .union([z.string().min(1), z.number().int()], {
      error: 'must be the object id HubSpot gave it, e.g. "101"',
    })
    .transform(String),
  properties: properties.optional().transform((p) => p ?? {}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
  // HubSpot also sends sourceType, sourceId, …: only the value and its time are read.
  propertiesWithHistory: z
    .record(
      z.string(),
      z.array(
        z.object({
          value: z
            .union([z.string(), z.number(), z.boolean(), z.null()])
            .transform((v) => (v === null ? null : String(v))),
          timestamp: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
        }),
      ),
    )
    .optional(),
});

export const factsSchema = z.object({
  contact: crmObjectSchema,
  company: crmObjectSchema.nullable().default(null),
  engagements: z
    .object(
      Object.fromEntries(
        engagementObjects.map((name) => [name, z.array(crmObjectSchema).optional()]),
      ) as Record<EngagementObject, z.ZodOptional<z.ZodArray<typeof crmObjectSchema>>>,
    )
    .default({}),
});

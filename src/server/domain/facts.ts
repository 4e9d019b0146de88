import { z } from 'zod';
import { engagementObjects, type EngagementObject } from './model-schema';
import type { PropertyValue } from './values';

/** A CRM object as HubSpot's v3 API returns it: `id`, `properties`, optional timestamps. */
export interface CrmObject {
  id: string;
  properties: Record<string, PropertyValue>;
  createdAt?: string;
  updatedAt?: string;
  archived?: boolean;
}

/** What the model reads about one contact, shaped as HubSpot sends it. */
export interface Facts {
  contact: CrmObject;
  company: CrmObject | null;
  engagements: Partial<Record<EngagementObject, CrmObject[]>>;
}

// HubSpot sends strings; JSON written by hand or other tools may carry numbers and booleans.
const propertyValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? null : String(v)));

export const crmObjectSchema = z.object({
  id: z.union([z.string().min(1, 'must not be empty'), z.number().int()]).transform(String),
  properties: z.record(z.string(), propertyValue).default({}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
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

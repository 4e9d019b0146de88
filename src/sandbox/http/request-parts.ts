import type { Request } from 'express';
import { HubSpotError } from '../hubspot-error';
import { resolveObjectType, type ObjectType } from '../object-types';

/** The object type in the path (`contacts`, `contact`, `0-1`), or HubSpot's 400. */
export function objectTypeParam(req: Request, name = 'objectType'): ObjectType {
  const type = resolveObjectType(String(req.params[name]));
  if (!type)
    throw new HubSpotError(
      400,
      'VALIDATION_ERROR',
      `Unable to infer object type from: ${String(req.params[name])}`,
    );
  return type;
}

/** A batch endpoint's body: `COMPLETE`, the results, timings, and the errors when there are some. */
export function batchBody(results: unknown[], startedAt: Date, errors: unknown[] = []) {
  return {
    status: 'COMPLETE',
    results,
    startedAt,
    completedAt: new Date(),
    ...(errors.length > 0 ? { numErrors: errors.length, errors } : {}),
  };
}

import type { z } from 'zod';
import { AppError } from '../errors';

/** Parses with zod or throws a 400 whose details name each field and what to fix. */
export function parseBody<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new AppError(
    'bad_request',
    `The ${what} is not valid: see details.`,
    parsed.error.issues.slice(0, 50).map((i) => ({
      path: i.path.map(String).join('.') || what,
      message: i.message,
    })),
  );
}

import type { z } from 'zod';

/** A stored record that no longer matches its schema: a bug or a missed migration, not input. */
export class StoredRecordError extends Error {
  override readonly name = 'StoredRecordError';
}

/**
 * Reads back JSON the app stored, checked with the schema it was written under, so a record
 * from an older shape fails here, by name, instead of as an `undefined` three calls later.
 */
export function parseStored<S extends z.ZodType>(
  schema: S,
  json: string,
  what: string,
): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new StoredRecordError(`${what}: stored value is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(record)'} ${i.message}`);
  throw new StoredRecordError(
    `${what}: stored record does not match its schema: ${problems.join('; ')}`,
  );
}

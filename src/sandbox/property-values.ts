import type { ErrorDetail } from './hubspot-error';
import type { PropertyDef } from './property-catalog';

/** One entry of the list HubSpot embeds in "Property values were not valid: [...]". */
export interface InvalidValue {
  isValid: false;
  message: string;
  error: string;
  name: string;
  localizedErrorMessage: string;
}

export const invalid = (name: string, error: string, message: string): InvalidValue => ({
  isValid: false,
  message,
  error,
  name,
  localizedErrorMessage: message,
});

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * The value HubSpot stores for a write, or why it refuses it. `""` clears a property (stored as
 * null); datetimes come back as ISO 8601 with milliseconds, dates as `YYYY-MM-DD`.
 */
export function normaliseValue(
  def: PropertyDef,
  raw: unknown,
): { ok: true; value: string | null } | { ok: false; error: InvalidValue } {
  if (raw === null || raw === '') return { ok: true, value: null };
  const text =
    typeof raw === 'string'
      ? raw
      : typeof raw === 'number' || typeof raw === 'boolean'
        ? String(raw)
        : null;
  if (text === null) {
    return {
      ok: false,
      error: invalid(
        def.name,
        'INVALID_PROPERTY_VALUE',
        `Property "${def.name}" must be a string, number or boolean`,
      ),
    };
  }
  switch (def.type) {
    case 'number': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) {
        return {
          ok: false,
          error: invalid(def.name, 'INVALID_INTEGER', `${text} was not a valid number.`),
        };
      }
      return { ok: true, value: text.trim() };
    }
    case 'bool': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false') {
        return {
          ok: false,
          error: invalid(def.name, 'INVALID_BOOLEAN', `${text} was not a valid boolean.`),
        };
      }
      return { ok: true, value: lower };
    }
    case 'enumeration': {
      const allowed = new Set(def.options.map((o) => o.value));
      // Multi-select values are `;`-separated. Options are free when the definition has none.
      const parts = def.fieldType === 'checkbox' ? text.split(';') : [text];
      const bad = allowed.size > 0 ? parts.find((p) => !allowed.has(p)) : undefined;
      if (bad !== undefined) {
        return {
          ok: false,
          error: invalid(
            def.name,
            'INVALID_OPTION',
            `${bad} was not one of the allowed options: ${[...allowed].map((v) => `[label: "${v}"\nvalue: "${v}"\n]`).join(', ')}`,
          ),
        };
      }
      return { ok: true, value: text };
    }
    case 'date':
    case 'datetime': {
      const ms = /^\d{10,14}$/.test(text)
        ? Number(text)
        : ISO.test(text)
          ? Date.parse(text)
          : Number.NaN;
      if (!Number.isFinite(ms)) {
        return {
          ok: false,
          error: invalid(
            def.name,
            'INVALID_DATE',
            `${text} was not a valid date or datetime (use ISO 8601 or epoch milliseconds).`,
          ),
        };
      }
      if (def.type === 'date') {
        if (ms % 86_400_000 !== 0) {
          return {
            ok: false,
            error: invalid(
              def.name,
              'INVALID_DATE',
              `${text} is not at midnight UTC: a date property takes a date.`,
            ),
          };
        }
        return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
      }
      return { ok: true, value: new Date(ms).toISOString() };
    }
    case 'string':
    case 'phone_number':
      if (text.length > 65_536) {
        return {
          ok: false,
          error: invalid(
            def.name,
            'INVALID_STRING',
            `Property "${def.name}" is longer than 65536 characters`,
          ),
        };
      }
      return { ok: true, value: text };
    default: {
      const unreachable: never = def.type;
      throw new Error(`unknown property type ${String(unreachable)}`);
    }
  }
}

export function unknownProperty(name: string): InvalidValue {
  return invalid(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`);
}

export function readOnlyProperty(name: string): InvalidValue {
  return invalid(
    name,
    'READ_ONLY_VALUE',
    `"${name}" is a read only property; its value cannot be set.`,
  );
}

/** HubSpot's message for a rejected write: the invalid values as embedded JSON. */
export function invalidValuesMessage(problems: InvalidValue[]): {
  message: string;
  errors: ErrorDetail[];
} {
  return {
    message: `Property values were not valid: ${JSON.stringify(problems)}`,
    errors: problems.map((p) => ({
      message: p.message,
      code: p.error,
      context: { propertyName: [p.name] },
    })),
  };
}

import { randomUUID } from 'node:crypto';

/** One entry of HubSpot's `errors` array. */
export interface ErrorDetail {
  message: string;
  code?: string;
  subCategory?: string;
  in?: string;
  context?: Record<string, string[]>;
}

/**
 * An error as HubSpot answers it: `{ status: "error", message, correlationId, category, … }`.
 * `category` and friends follow the `Error` schema of HubSpot's specs (the SDK's ModelError).
 */
export class HubSpotError extends Error {
  readonly status: number;
  readonly category: string;
  readonly subCategory: string | undefined;
  readonly context: Record<string, string[]> | undefined;
  readonly errors: ErrorDetail[] | undefined;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    category: string,
    message: string,
    options: {
      subCategory?: string;
      context?: Record<string, string[]>;
      errors?: ErrorDetail[];
      headers?: Record<string, string>;
      extra?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.status = status;
    this.category = category;
    this.subCategory = options.subCategory;
    this.context = options.context;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extra = options.extra ?? {};
  }

  body(): Record<string, unknown> {
    return {
      status: 'error',
      message: this.message,
      correlationId: randomUUID(),
      category: this.category,
      ...(this.subCategory ? { subCategory: this.subCategory } : {}),
      ...(this.context ? { context: this.context } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

export const notFound = (message = 'resource not found') =>
  new HubSpotError(404, 'OBJECT_NOT_FOUND', message);

export const validation = (
  message: string,
  errors?: ErrorDetail[],
  context?: Record<string, string[]>,
) => new HubSpotError(400, 'VALIDATION_ERROR', message, { errors, context });

import type { ApiErrorBody } from '@lead-qualifier/contract';
/**
 * Errors that reach a person carry a code and say what to fix. One error middleware maps codes
 * to HTTP statuses, so a route never picks a status by hand.
 */
const ERROR_STATUS = {
  bad_request: 400,
  invalid_signature: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

type ErrorCode = keyof typeof ERROR_STATUS;

interface ErrorDetail {
  /** Where the problem is, e.g. `fitRules.0.points` or `HUBSPOT_CLIENT_SECRET`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message: string, details: readonly ErrorDetail[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The contract's error body: what the card and the settings page read out of a 4xx/5xx. */
export function errorBody(error: AppError): ApiErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details.length > 0 ? { details: [...error.details] } : {}),
    },
  };
}

import { hubspot } from '@hubspot/ui-extensions';
import type { ApiErrorBody, ParamsOf, RequestOf, ResponseOf } from '@lead-qualifier/contract';
import { pathOf, routeOf, type RouteName } from '@lead-qualifier/contract/routes';

/** A problem the backend (or HubSpot's proxy) reported, with the fields it concerns. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ReadonlyArray<{ path: string; message: string }>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ReadonlyArray<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The backend's base URL, from the project's profile variable `BACKEND_URL`. */
export function backendUrl(context: { variables?: Record<string, unknown> }): string | null {
  const value = context.variables?.['BACKEND_URL'];
  return typeof value === 'string' && value !== '' ? value.replace(/\/$/, '') : null;
}

const STATUS_MESSAGES: Record<number, string> = {
  401: 'The request could not be verified as coming from HubSpot. Reload the page.',
  403: 'Lead Qualifier is not installed in this account, or you may not use it.',
  429: 'Too many requests at once. Wait a moment and try again.',
  502: 'Lead Qualifier did not answer. Try again in a minute.',
  503: 'Lead Qualifier is unavailable right now. Try again in a minute.',
  504: 'Lead Qualifier took too long to answer. Try again.',
};

/** What a call of route `K` takes: its path parameters and its body, when it has them. */
export type CallOptions<K extends RouteName> = {
  timeout?: number;
} & (string extends keyof ParamsOf<K> ? { params?: undefined } : { params: ParamsOf<K> }) &
  (RequestOf<K> extends undefined ? { body?: undefined } : { body: RequestOf<K> });

/**
 * Calls the contract's route `route` through `hubspot.fetch`, which signs the request and adds
 * the portal and user. Answers that are not 2xx become an `ApiError` with the backend's message.
 */
export async function callApi<K extends RouteName>(
  base: string,
  route: K,
  ...[options]: object extends CallOptions<K> ? [CallOptions<K>?] : [CallOptions<K>]
): Promise<ResponseOf<K>> {
  const { method } = routeOf(route);
  const path = pathOf(route, options?.params as Record<string, string> | undefined);
  let response: Response;
  try {
    response = await hubspot.fetch(`${base}${path}`, {
      method,
      ...(options?.body ? { body: options.body as Record<string, unknown> } : {}),
      timeout: options?.timeout ?? 15_000,
    });
  } catch (error) {
    throw new ApiError(
      0,
      'network',
      `Lead Qualifier could not be reached (${error instanceof Error ? error.message : String(error)}). Try again.`,
    );
  }
  return readApiResponse<ResponseOf<K>>(response);
}

/** HubSpot's proxy envelope: how a backend error (or a failure to reach it) may arrive. */
interface ProxyEnvelope {
  status: 'error' | 'success';
  message?: string;
  category?: string;
  responseBody?: unknown;
  context?: { appServerStatusCode?: string[] };
}

function isEnvelope(json: unknown): json is ProxyEnvelope {
  if (json === null || typeof json !== 'object') return false;
  const e = json as Partial<ProxyEnvelope>;
  return (
    (e.status === 'error' || e.status === 'success') &&
    ('responseBody' in e || Array.isArray(e.context?.appServerStatusCode))
  );
}

/**
 * The backend's status and body out of HubSpot's proxy envelope, or null when `json` is not one
 * (an error the backend could not be asked about has no status of its own: 502).
 */
export function unwrapProxyEnvelope(
  proxyStatus: number,
  json: unknown,
): { status: number; body: unknown } | null {
  if (!isEnvelope(json)) return null;
  const backend = Number(json.context?.appServerStatusCode?.[0]);
  return {
    status:
      json.status === 'error'
        ? Number.isFinite(backend) && backend > 0
          ? backend
          : 502
        : proxyStatus,
    body: json.responseBody ?? null,
  };
}

/**
 * The backend's answer as the card reads it, whichever way it arrives: as the backend sent it,
 * or wrapped by HubSpot's proxy, which answers a backend 4xx/5xx with HTTP 200 and an envelope
 * holding the backend's status and body (`@hubspot/ui-extensions-dev-server`'s proxy mirrors
 * HubSpot's). Not 2xx: an `ApiError` with the backend's message and field errors.
 */
export async function readApiResponse<T>(response: Response): Promise<T> {
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  let status = response.status;
  const inner = unwrapProxyEnvelope(status, json);
  if (inner) {
    status = inner.status;
    json = inner.body;
  }
  if (status >= 200 && status < 300) return json as T;
  // The backend answers errors as the contract's `ApiErrorBody`; HubSpot's proxy, with `message`.
  const body = json as (Partial<ApiErrorBody> & { message?: string }) | null;
  throw new ApiError(
    status,
    body?.error?.code ?? 'http_' + status,
    body?.error?.message ??
      STATUS_MESSAGES[status] ??
      body?.message ??
      `Lead Qualifier answered ${status}. Try again.`,
    body?.error?.details ?? [],
  );
}

/** "3 days ago", "in 2 hours": relative to the server's clock, not the browser's. */
export function ago(at: number, now: number): string {
  const seconds = Math.round((now - at) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const [n, unit] =
    s < 60
      ? [s, 'second']
      : s < 3_600
        ? [Math.floor(s / 60), 'minute']
        : s < 86_400
          ? [Math.floor(s / 3_600), 'hour']
          : [Math.floor(s / 86_400), 'day'];
  if (s < 45) return future ? 'in a moment' : 'just now';
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return future ? `in ${text}` : `${text} ago`;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whose HubSpot request this is: `realtime` for what a person waits on (a change in HubSpot, the
 * card, the settings page, an SLA check), `bulk` for work nobody waits on by the second (a
 * backfill, a catch-up, a weekly check). The rate limiter keeps part of a portal's window for
 * realtime requests while any are being made.
 */
export type RequestClass = 'realtime' | 'bulk';

const current = new AsyncLocalStorage<RequestClass>();

/** Runs `work` with its HubSpot requests counted as `cls`. */
export function runAs<T>(cls: RequestClass, work: () => Promise<T>): Promise<T> {
  return current.run(cls, work);
}

/** The class of the request about to be made: realtime unless a bulk job is running it. */
export function requestClass(): RequestClass {
  return current.getStore() ?? 'realtime';
}

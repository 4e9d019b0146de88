/**
 * Every route of the API by name: its method and path. Plain data, no zod, so the UI extensions
 * may import it as a value (`@lead-qualifier/contract/routes`) without bundling the schemas;
 * `endpoints.ts` gives each route its request and response schemas.
 */
export const ROUTES = {
  card: 'GET /api/card/contacts/:contactId',
  rescore: 'POST /api/card/contacts/:contactId/rescore',
  giveFeedback: 'POST /api/card/contacts/:contactId/feedback',
  handOff: 'POST /api/card/contacts/:contactId/handoff',
  handOffSettings: 'GET /api/settings/handoff',
  saveHandOff: 'PUT /api/settings/handoff',
  previewRouting: 'POST /api/settings/handoff/preview',
  model: 'GET /api/settings/model',
  saveDraft: 'PUT /api/settings/draft',
  discardDraft: 'DELETE /api/settings/draft',
  startPreview: 'POST /api/settings/previews',
  preview: 'GET /api/settings/previews/:previewId',
  publish: 'POST /api/settings/publish',
  rollback: 'POST /api/settings/rollback',
  version: 'GET /api/settings/versions/:version',
  properties: 'GET /api/settings/properties',
  health: 'GET /api/settings/health',
  startTraining: 'POST /api/settings/trainings',
  training: 'GET /api/settings/trainings/:trainingId',
  drift: 'GET /api/settings/drift',
  startDriftCheck: 'POST /api/settings/drift-checks',
  funnel: 'GET /api/settings/funnel',
  feedback: 'GET /api/settings/feedback',
} as const;

export type RouteName = keyof typeof ROUTES;

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A route's method and path template, e.g. `['GET', '/api/card/contacts/:contactId']`. */
export function routeOf(name: RouteName): { method: Method; path: string } {
  const [method, path] = ROUTES[name].split(' ') as [Method, string];
  return { method, path };
}

/** The path with its `:name` segments filled in (each value URL-encoded). */
export function pathOf(name: RouteName, params: Record<string, string> = {}): string {
  return routeOf(name).path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`${ROUTES[name]} needs the path parameter ${key}`);
    return encodeURIComponent(value);
  });
}

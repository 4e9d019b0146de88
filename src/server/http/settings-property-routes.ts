import {
  engagementObjects,
  type EngagementObject,
  type PropertiesView,
} from '@lead-qualifier/contract';
import { Router, type RequestHandler } from 'express';
import { HubSpotCallError } from '../hubspot/crm-port';
import { withinDeadline } from '../deadline';
import { endpoint } from './endpoint';
import type { SettingsDeps } from './settings-deps';
import { callerOf } from './signed-by-hubspot';

/** The portal's property lists change rarely; the form asks for them on every open. */
const PROPERTIES_TTL_MS = 5 * 60_000;
/** How long the form's property lists may take before the page is told to go on without. */
const PROPERTIES_DEADLINE_MS = 5_000;

/** `GET /api/settings/properties`: the account's properties for the model form's pickers. */
export function settingsPropertyRoutes(deps: SettingsDeps, signed: RequestHandler[]): Router {
  const router = Router();
  const clock = deps.clock;
  const propertyCache = new Map<number, { at: number; view: PropertiesView }>();

  endpoint(router, 'properties', signed, async ({ res }) => {
    const { portalId } = callerOf(res);
    const cached = propertyCache.get(portalId);
    if (cached && clock() - cached.at < PROPERTIES_TTL_MS) return cached.view;
    const warnings: string[] = [];
    const list = (type: 'contacts' | 'companies' | EngagementObject) =>
      deps.crm.listProperties(portalId, type).catch((error: unknown) => {
        if (!(error instanceof HubSpotCallError) || error.status !== 403) throw error;
        warnings.push(
          `HubSpot refused to list ${type} properties (${error.message}). Reinstall the app to grant the scopes it asks for now.`,
        );
        return [];
      });
    // A page waits on this (hubspot.fetch gives up after 15 s, and retries a 5xx once, which
    // doubles the wait): past the deadline the form goes on without the lists, told why.
    const lists = await withinDeadline(
      Promise.all([list('contacts'), list('companies'), ...engagementObjects.map(list)]),
      PROPERTIES_DEADLINE_MS,
      'late' as const,
    );
    if (lists === 'late') {
      const view: PropertiesView = {
        contacts: [],
        companies: [],
        engagements: { calls: [], emails: [], meetings: [], notes: [], tasks: [] },
        warnings: [
          `HubSpot did not list the properties within ${PROPERTIES_DEADLINE_MS / 1000} s; try again in a minute.`,
        ],
      };
      return view;
    }
    const [contacts, companies, ...perEngagement] = lists;
    const engagements = Object.fromEntries(
      engagementObjects.map((o, i) => [o, perEngagement[i]!]),
    ) as PropertiesView['engagements'];
    const view: PropertiesView = { contacts, companies, engagements, warnings };
    propertyCache.set(portalId, { at: clock(), view });
    return view;
  });

  return router;
}

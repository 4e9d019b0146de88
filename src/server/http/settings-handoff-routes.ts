import type {
  HandOffSettings,
  HandOffView,
  OwnerView,
  RoutingPreview,
} from '@lead-qualifier/contract';
import { Router, type RequestHandler } from 'express';
import { chooseOwner, route, type Candidate } from '../domain/routing';
import { firstTouchReport } from '../domain/speed-to-lead';
import { AppError } from '../errors';
import {
  candidates,
  handOffMode,
  routingInputs,
  triggerStatuses,
  triggers,
  type HandOffDeps,
} from '../queue/handoff';
import type { Producer } from '../queue/producer';
import type { StatusLog } from '../storage/status-log';
import { endpoint } from './endpoint';
import { callerOf } from './signed-by-hubspot';

/** How many of the week's qualified contacts a routing preview routes (each is a few reads). */
const PREVIEW_CONTACTS = 100;
const WEEK_MS = 7 * 86_400_000;

/**
 * What a routing change asks of people: owners named in it must exist, have a seat and be in
 * the portal; a round-robin team must exist. Each problem says what to change.
 */
function routingProblems(
  settings: HandOffSettings,
  people: ReadonlyMap<string, Candidate>,
): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const check = (id: string, path: string) => {
    const c = people.get(id);
    if (!c) problems.push({ path, message: `owner ${id} is not a user of this HubSpot account` });
    else if (c.seated === false)
      problems.push({
        path,
        message: `${c.name} has no seat in HubSpot: leads can only go to users with a seat`,
      });
  };
  settings.rules.forEach((r, k) => {
    if (r.kind === 'territory')
      r.ownerIds.forEach((id, j) => check(id, `rules.${k}.ownerIds.${j}`));
  });
  settings.roundRobinOwnerIds.forEach((id, j) => check(id, `roundRobinOwnerIds.${j}`));
  if (
    settings.roundRobinTeamId !== null &&
    ![...people.values()].some((c) => c.teamIds.includes(settings.roundRobinTeamId!))
  )
    problems.push({
      path: 'roundRobinTeamId',
      message: `team ${settings.roundRobinTeamId} has no members in HubSpot: choose another team`,
    });
  return problems;
}

interface HandOffRouteDeps extends HandOffDeps {
  statusLog: Pick<StatusLog, 'all'>;
  producer: HandOffDeps['producer'] & Pick<Producer, 'handOff'>;
}

/** Contacts whose latest status meets the trigger and that have no open hand-off. */
async function waitingContacts(
  deps: HandOffRouteDeps,
  portalId: number,
  settings: HandOffSettings,
): Promise<string[]> {
  const latest = new Map<string, string>();
  for (const change of await deps.statusLog.all(portalId)) latest.set(change.contactId, change.to);
  const open = new Set((await deps.handOffs.open(portalId)).map((r) => r.contactId));
  // Only contacts whose latest status can meet the trigger are read (their grade decides).
  const statuses = triggerStatuses(settings);
  const maybe = [...latest].filter(([id, status]) => !open.has(id) && statuses.includes(status));
  const out: string[] = [];
  for (let i = 0; i < maybe.length; i += 500) {
    const chunk = maybe.slice(i, i + 500);
    const qs = await Promise.all(chunk.map(([id]) => deps.scores.get(portalId, id)));
    chunk.forEach(([contactId, status], k) => {
      const q = qs[k];
      if (q && q.status === status && triggers(settings, q)) out.push(contactId);
    });
  }
  return out;
}

/** `/api/settings/handoff`: the admin's routing and hand-off, its preview, its report. */
export function settingsHandOffRoutes(deps: HandOffRouteDeps, signed: RequestHandler[]): Router {
  const router = Router();

  async function view(portalId: number): Promise<HandOffView> {
    const [settings, mode, records] = await Promise.all([
      deps.handOffs.settings(portalId),
      handOffMode(deps, portalId),
      deps.handOffs.all(portalId),
    ]);
    const people = await candidates(deps, portalId);
    const cached = await deps.handOffs.cachedOwners(portalId);
    const owners: OwnerView[] = [...people.values()]
      .map((c) => ({
        id: c.id,
        name: c.name,
        email: c.email,
        teams: (cached?.owners.find((o) => o.id === c.id)?.teams ?? []).map((t) => ({
          id: t.id,
          name: t.name,
        })),
        seated: c.seated,
        away: c.away,
        openLeads: c.openLeads,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      settings,
      mode,
      owners,
      stages: cached?.stages ?? [],
      firstTouch: firstTouchReport(records, deps.clock()),
    };
  }

  endpoint(router, 'handOffSettings', signed, async ({ res }) => view(callerOf(res).portalId));

  endpoint(router, 'saveHandOff', signed, async ({ body, res }) => {
    const { portalId } = callerOf(res);
    const problems = routingProblems(body, await candidates(deps, portalId, true));
    if (problems.length > 0)
      throw new AppError(
        'bad_request',
        `Nothing was saved: ${problems.length === 1 ? 'one field needs' : `${problems.length} fields need`} a change.`,
        problems,
      );
    const before = await deps.handOffs.settings(portalId);
    await deps.handOffs.saveSettings(portalId, body);
    // Turned on: the contacts waiting at the trigger now are handed to sales too, not only
    // those who reach it from now on (a contact with an open hand-off is left as it is).
    if (body.enabled && !before.enabled && body.trigger !== 'manual' && body.handOffWaiting) {
      const waiting = await waitingContacts(deps, portalId, body);
      for (const contactId of waiting) await deps.producer.handOff(portalId, contactId);
    }
    return view(portalId);
  });

  /**
   * Who would have got the contacts qualified in the last week under these settings: the
   * rules run on each (up to PREVIEW_CONTACTS), the turns counted from zero, nothing written.
   */
  endpoint(router, 'previewRouting', signed, async ({ body, res }) => {
    const { portalId } = callerOf(res);
    const people = await candidates(deps, portalId);
    const problems = routingProblems(body, people);
    if (problems.length > 0)
      throw new AppError('bad_request', 'These settings cannot be previewed yet.', problems);
    const since = deps.clock() - WEEK_MS;
    const statuses = triggerStatuses(body);
    const recent = new Set<string>();
    for (const change of (await deps.statusLog.all(portalId)).reverse())
      if (change.at >= since && statuses.includes(change.to)) recent.add(change.contactId);
    const contactIds = [...recent].slice(0, PREVIEW_CONTACTS);
    const turns = new Map<string, number>();
    const byOwner = new Map<string | null, number>();
    const byRule = new Map<string, number>();
    const sample: RoutingPreview['sample'] = [];
    const inputs = await routingInputs(deps, portalId, contactIds, body);
    for (const contactId of contactIds) {
      const input = inputs.get(contactId);
      if (!input) continue;
      const { ownerId, routedBy } = await chooseOwner(
        route(input, body, people),
        (rotation) => {
          const turn = turns.get(rotation) ?? 0;
          turns.set(rotation, turn + 1);
          return turn;
        },
        body.weighByLoad,
        people,
      );
      byOwner.set(ownerId, (byOwner.get(ownerId) ?? 0) + 1);
      byRule.set(routedBy, (byRule.get(routedBy) ?? 0) + 1);
      if (sample.length < 10)
        sample.push({
          contactId,
          ownerName: ownerId ? (people.get(ownerId)?.name ?? null) : null,
          routedBy,
        });
    }
    return {
      contacts: contactIds.length,
      byOwner: [...byOwner]
        .map(([ownerId, leads]) => ({
          ownerId,
          name: ownerId ? (people.get(ownerId)?.name ?? `owner ${ownerId}`) : 'Nobody',
          leads,
        }))
        .sort((a, b) => b.leads - a.leads || a.name.localeCompare(b.name)),
      byRule: [...byRule]
        .map(([rule, leads]) => ({ rule, leads }))
        .sort((a, b) => b.leads - a.leads),
      sample,
    };
  });

  return router;
}

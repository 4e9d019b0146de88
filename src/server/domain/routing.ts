import type { HandOffSettings, RoutingRule, TerritoryCondition } from '@lead-qualifier/contract';

/** An owner as routing sees them: can they take leads, and how many are open with them. */
export interface Candidate {
  id: string;
  name: string;
  teamIds: string[];
  /** null: HubSpot did not tell us (HubSpot itself refuses an unseated lead owner). */
  seated: boolean | null;
  away: boolean;
  openLeads: number;
}

/** What routing knows of the contact: its properties, its company's, and the account's owners. */
export interface RoutingInput {
  contact: Record<string, string | null | undefined>;
  company: Record<string, string | null | undefined> | null;
  companyOwner: string | null;
  dealOwners: string[];
}

/** Who gets the lead: one owner, or a pool to take turns in, with the rule that chose. */
export type RouteDecision =
  | { kind: 'owner'; ownerId: string; rule: RoutingRule['kind']; routedBy: string }
  | {
      kind: 'pool';
      /** Eligible owners, in a stable order. */
      ownerIds: string[];
      /** Names the rotation whose turn counter the pool uses. */
      rotation: string;
      rule: 'territory' | 'round_robin';
      routedBy: string;
    }
  | { kind: 'nobody'; why: string };

const norm = (v: string | null | undefined) => (v ?? '').trim().toLowerCase();

/** A territory's conditions all hold (each: the property equals one of its values). */
export function inTerritory(input: RoutingInput, when: readonly TerritoryCondition[]): boolean {
  return when.every((c) => {
    const props = c.object === 'contact' ? input.contact : input.company;
    if (!props) return false;
    const value = norm(props[c.property]);
    return value !== '' && c.values.some((v) => norm(v) === value);
  });
}

/** May `c` be given a lead: seated (or not known not to be), and not away when that counts. */
export function eligible(c: Candidate | undefined, settings: HandOffSettings): c is Candidate {
  return !!c && c.seated !== false && !(settings.skipAway && c.away);
}

/**
 * The admin's rules in order, then the round-robin: the first rule that names an eligible owner
 * decides. An account's owner who cannot take leads (no seat, away) passes the lead on to the
 * next rule rather than leaving it unowned.
 */
export function route(
  input: RoutingInput,
  settings: HandOffSettings,
  candidates: ReadonlyMap<string, Candidate>,
): RouteDecision {
  const ok = (id: string | null | undefined): id is string =>
    !!id && eligible(candidates.get(id), settings);
  for (const [k, rule] of settings.rules.entries()) {
    if (rule.kind === 'account_owner' && ok(input.companyOwner))
      return {
        kind: 'owner',
        ownerId: input.companyOwner,
        rule: rule.kind,
        routedBy: 'account owner',
      };
    if (rule.kind === 'deal_owner') {
      const owner = input.dealOwners.find(ok);
      if (owner) return { kind: 'owner', ownerId: owner, rule: rule.kind, routedBy: 'open deal' };
    }
    if (rule.kind === 'territory' && inTerritory(input, rule.when)) {
      const pool = [...new Set(rule.ownerIds)].filter(ok).sort();
      if (pool.length > 0)
        return {
          kind: 'pool',
          ownerIds: pool,
          rotation: `territory:${k}:${rule.name}`,
          rule: 'territory',
          routedBy: `territory ${rule.name}`,
        };
    }
  }
  const pool = roundRobinPool(settings, candidates);
  if (pool.length === 0)
    return {
      kind: 'nobody',
      why:
        settings.roundRobinTeamId !== null
          ? 'no one in the round-robin team has a seat and is available'
          : 'no owner has a seat and is available',
    };
  return {
    kind: 'pool',
    ownerIds: pool,
    rotation: `round-robin:${settings.roundRobinTeamId ?? 'all'}`,
    rule: 'round_robin',
    routedBy: 'round-robin',
  };
}

/** The round-robin's members who may take leads now, in a stable order. */
export function roundRobinPool(
  settings: HandOffSettings,
  candidates: ReadonlyMap<string, Candidate>,
): string[] {
  const chosen = new Set(settings.roundRobinOwnerIds);
  return [...candidates.values()]
    .filter(
      (c) =>
        (settings.roundRobinTeamId === null || c.teamIds.includes(settings.roundRobinTeamId)) &&
        (chosen.size === 0 || chosen.has(c.id)) &&
        eligible(c, settings),
    )
    .map((c) => c.id)
    .sort();
}

/**
 * The pool member whose turn it is: `turn` counts the leads the rotation gave out before this
 * one (0, 1, 2, …), so strict turns give each member within one lead of every other. With
 * load weighing, the member with the fewest open leads goes first, turns breaking ties.
 */
export function pickFromPool(
  pool: readonly string[],
  turn: number,
  weighByLoad: boolean,
  candidates: ReadonlyMap<string, Candidate>,
): string {
  if (!weighByLoad) return pool[turn % pool.length]!;
  const least = Math.min(...pool.map((id) => candidates.get(id)?.openLeads ?? 0));
  const tied = pool.filter((id) => (candidates.get(id)?.openLeads ?? 0) === least);
  return tied[turn % tied.length]!;
}

/**
 * The owner a decision names: the one owner, or the pool member whose turn it is (`nextTurn`
 * counts the rotation's leads: the shared counter, or a preview's own); none for nobody.
 */
export async function chooseOwner(
  decision: RouteDecision,
  nextTurn: (rotation: string) => number | Promise<number>,
  weighByLoad: boolean,
  candidates: ReadonlyMap<string, Candidate>,
): Promise<{ ownerId: string | null; routedBy: string }> {
  if (decision.kind === 'owner') return { ownerId: decision.ownerId, routedBy: decision.routedBy };
  if (decision.kind === 'nobody') return { ownerId: null, routedBy: decision.why };
  const turn = await nextTurn(decision.rotation);
  return {
    ownerId: pickFromPool(decision.ownerIds, turn, weighByLoad, candidates),
    routedBy: decision.routedBy,
  };
}

/** "Routed to Ann Lee: territory EMEA". */
export function routedByText(ownerName: string | null, routedBy: string): string {
  return ownerName ? `Routed to ${ownerName}: ${routedBy}` : `Not routed: ${routedBy}`;
}

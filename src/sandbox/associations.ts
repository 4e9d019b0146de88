import type { ObjectType } from './object-types';

/**
 * HubSpot's HUBSPOT_DEFINED association type ids for the pairs the sandbox serves: the unlabeled
 * type every association has, and the "Primary" label where HubSpot has one.
 */
const PAIRS: Array<
  [
    from: ObjectType,
    to: ObjectType,
    unlabeled: number,
    reverse: number,
    primary?: number,
    reversePrimary?: number,
  ]
> = [
  ['contacts', 'companies', 279, 280, 1, 2],
  ['deals', 'contacts', 3, 4],
  ['deals', 'companies', 341, 342, 5, 6],
  ['contacts', 'calls', 193, 194],
  ['contacts', 'emails', 197, 198],
  ['contacts', 'meetings', 199, 200],
  ['contacts', 'notes', 201, 202],
  ['contacts', 'tasks', 203, 204],
  ['companies', 'calls', 181, 182],
  ['companies', 'emails', 185, 186],
  ['companies', 'meetings', 187, 188],
  ['companies', 'notes', 189, 190],
  ['companies', 'tasks', 191, 192],
  ['deals', 'calls', 206, 205],
  ['deals', 'emails', 210, 209],
  ['deals', 'meetings', 212, 211],
  ['deals', 'notes', 214, 213],
  ['deals', 'tasks', 216, 215],
  // A lead's contact (578 "Lead to primary contact", the type the leads guide creates with) and
  // company (580, primary) (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/guide).
  ['leads', 'contacts', 608, 609, 578, 579],
  ['leads', 'companies', 610, 611, 580, 581],
  // A note on a lead: 855 note → lead, as integrations create it; 854 the reverse (UNSURE).
  ['leads', 'notes', 854, 855],
];

interface AssociationKind {
  unlabeled: number;
  primary: number | undefined;
  reverse: number;
  reversePrimary: number | undefined;
}

const KINDS = new Map<string, AssociationKind>();
for (const [from, to, unlabeled, reverse, primary, reversePrimary] of PAIRS) {
  KINDS.set(`${from}>${to}`, { unlabeled, primary, reverse, reversePrimary });
  KINDS.set(`${to}>${from}`, {
    unlabeled: reverse,
    primary: reversePrimary,
    reverse: unlabeled,
    reversePrimary: primary,
  });
}

export function associationKind(from: ObjectType, to: ObjectType): AssociationKind | undefined {
  return KINDS.get(`${from}>${to}`);
}

/** The reverse type id of `typeId` from `from` to `to`, or undefined when HubSpot has none. */
function reverseTypeId(from: ObjectType, to: ObjectType, typeId: number): number | undefined {
  const kind = associationKind(from, to);
  if (!kind) return undefined;
  if (typeId === kind.unlabeled) return kind.reverse;
  if (typeId === kind.primary) return kind.reversePrimary;
  return undefined;
}

/** `CONTACT_TO_COMPANY`: the associationType of legacy-style association webhook events. */
export function associationTypeName(from: ObjectType, to: ObjectType): string {
  const singular = (t: ObjectType) =>
    t === 'companies' ? 'COMPANY' : t.slice(0, -1).toUpperCase();
  return `${singular(from)}_TO_${singular(to)}`;
}

/** Both directions of every association of a portal: from → to type → to id → type ids. */
export class AssociationStore {
  private readonly links = new Map<string, Map<ObjectType, Map<string, Set<number>>>>();

  private side(
    type: ObjectType,
    id: string,
    to: ObjectType,
    create: boolean,
  ): Map<string, Set<number>> | undefined {
    const key = `${type}:${id}`;
    let byType = this.links.get(key);
    if (!byType) {
      if (!create) return undefined;
      byType = new Map();
      this.links.set(key, byType);
    }
    let byId = byType.get(to);
    if (!byId && create) {
      byId = new Map();
      byType.set(to, byId);
    }
    return byId;
  }

  /** Adds type ids on both sides; returns true when the pair was not associated before. */
  add(from: ObjectType, fromId: string, to: ObjectType, toId: string, typeIds: number[]): boolean {
    const forward = this.side(from, fromId, to, true)!;
    const isNew = !forward.has(toId);
    const set = forward.get(toId) ?? new Set<number>();
    const back = this.side(to, toId, from, true)!;
    const backSet = back.get(fromId) ?? new Set<number>();
    for (const typeId of typeIds) {
      set.add(typeId);
      const reverse = reverseTypeId(from, to, typeId);
      if (reverse !== undefined) backSet.add(reverse);
    }
    forward.set(toId, set);
    back.set(fromId, backSet);
    return isNew;
  }

  /** Removes the pair on both sides; returns true when it existed. */
  remove(from: ObjectType, fromId: string, to: ObjectType, toId: string): boolean {
    const existed = this.side(from, fromId, to, false)?.delete(toId) ?? false;
    this.side(to, toId, from, false)?.delete(fromId);
    return existed;
  }

  /** The ids `from` is associated with, in ascending id order, with their type ids. */
  list(from: ObjectType, fromId: string, to: ObjectType): Array<[string, Set<number>]> {
    const byId = this.side(from, fromId, to, false);
    if (!byId) return [];
    return [...byId.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  }

  /** Every association of an object, for moving them on a merge or dropping them on delete. */
  all(type: ObjectType, id: string): Array<[ObjectType, string, Set<number>]> {
    const byType = this.links.get(`${type}:${id}`);
    if (!byType) return [];
    const out: Array<[ObjectType, string, Set<number>]> = [];
    for (const [to, byId] of byType)
      for (const [toId, typeIds] of byId) out.push([to, toId, typeIds]);
    return out;
  }
}

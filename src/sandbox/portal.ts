import { AssociationStore, associationKind, associationTypeName } from './associations';
import { HubSpotError, notFound, validation } from './hubspot-error';
import {
  OBJECT_TYPE_NAMES,
  createdDateProperty,
  modifiedDateProperty,
  type ObjectType,
} from './object-types';
import { standardProperties, type GroupDef, type PropertyDef } from './property-catalog';
import { ownerProblem } from './leads';
import { Staff } from './owners';
import {
  invalidValuesMessage,
  normaliseValue,
  readOnlyProperty,
  unknownProperty,
  type InvalidValue,
} from './property-values';

/** Who made a change: HubSpot reports it as the events' `changeSource` and `sourceId`. */
export interface Actor {
  changeSource: 'INTEGRATION' | 'CRM_UI' | 'API' | 'IMPORT' | 'DEALS';
  sourceId?: string;
}

export interface StoredObject {
  id: string;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
  /**
   * Each property's values over time, newest first, for the properties written since the
   * object was stored (`propertyHistory` fills in the value it was stored with).
   */
  history?: Record<string, HistoryEntry[]>;
}

/** One value a property took: HubSpot's `ValueWithTimestamp`, before serialisation. */
export interface HistoryEntry {
  value: string;
  at: number;
  sourceType: Actor['changeSource'];
}

/** A change in a portal, before it is matched to any app's webhook subscriptions. */
export interface ChangeEvent {
  portalId: number;
  objectType: ObjectType;
  objectId: string;
  kind:
    | 'creation'
    | 'deletion'
    | 'propertyChange'
    | 'merge'
    | 'restore'
    | 'associationChange'
    | 'privacyDeletion';
  occurredAt: number;
  actor: Actor;
  propertyName?: string;
  propertyValue?: string;
  merge?: {
    primaryObjectId: number;
    mergedObjectIds: number[];
    newObjectId: number;
    numberOfPropertiesMoved: number;
  };
  association?: {
    associationType: string;
    /** HUBSPOT_DEFINED type id of this direction (unlabeled), as v4 associations name it. */
    associationTypeId: number;
    fromObjectId: number;
    toObjectId: number;
    toObjectType: ObjectType;
    associationRemoved: boolean;
    isPrimaryAssociation: boolean;
  };
}

/** How many values of one property the sandbox keeps. */
const HISTORY_KEPT = 200;

/** One HubSpot account: its objects, property definitions and associations. */
export class Portal {
  readonly id: number;
  readonly domain: string;
  readonly associations = new AssociationStore();
  /** The portal's users (owners), their teams and seats. */
  readonly staff: Staff;
  /**
   * Whether the account's subscription has the Leads object (Sales Hub): if not, HubSpot drops
   * the leads scopes an app asks for as optional.
   */
  hasLeads = true;
  private readonly objects = {} as Record<ObjectType, Map<string, StoredObject>>;
  private readonly order = {} as Record<ObjectType, string[]>;
  private readonly definitions = {} as Record<ObjectType, Map<string, PropertyDef>>;
  private readonly groupDefs = {} as Record<ObjectType, Map<string, GroupDef>>;
  private nextId: number;
  private readonly clock: () => number;
  private readonly emit: (event: ChangeEvent) => void;

  constructor(
    id: number,
    options: { clock: () => number; onChange: (event: ChangeEvent) => void },
  ) {
    this.id = id;
    this.domain = `sandbox-${id}.hubspot.com`;
    this.clock = options.clock;
    this.emit = options.onChange;
    // HubSpot ids are large numbers; each portal gets its own range.
    this.nextId = (id % 1000) * 1_000_000_000 + 10_001;
    this.staff = new Staff(this);
    for (const type of OBJECT_TYPE_NAMES) {
      const { properties, groups } = standardProperties(type);
      this.objects[type] = new Map();
      this.order[type] = [];
      this.definitions[type] = new Map(properties.map((p) => [p.name, p]));
      this.groupDefs[type] = new Map(groups.map((g) => [g.name, g]));
    }
  }

  now(): number {
    return this.clock();
  }

  // ---- properties --------------------------------------------------------------------------

  propertyDefs(type: ObjectType): PropertyDef[] {
    return [...this.definitions[type].values()];
  }

  propertyDef(type: ObjectType, name: string): PropertyDef | undefined {
    return this.definitions[type].get(name);
  }

  groups(type: ObjectType): GroupDef[] {
    return [...this.groupDefs[type].values()];
  }

  group(type: ObjectType, name: string): GroupDef | undefined {
    return this.groupDefs[type].get(name);
  }

  addGroup(type: ObjectType, group: GroupDef): GroupDef {
    if (this.groupDefs[type].has(group.name)) {
      throw new HubSpotError(
        409,
        'OBJECT_ALREADY_EXISTS',
        `A property group named "${group.name}" already exists.`,
      );
    }
    this.groupDefs[type].set(group.name, group);
    return group;
  }

  addProperty(type: ObjectType, def: PropertyDef): PropertyDef {
    if (this.definitions[type].has(def.name)) {
      throw new HubSpotError(
        409,
        'OBJECT_ALREADY_EXISTS',
        `Property named '${def.name}' already exists.`,
        {
          context: { name: [def.name] },
        },
      );
    }
    if (!this.groupDefs[type].has(def.groupName)) {
      throw validation(`Property group "${def.groupName}" does not exist.`, undefined, {
        groupName: [def.groupName],
      });
    }
    this.definitions[type].set(def.name, def);
    return def;
  }

  /**
   * HubSpot's property update (PATCH /crm/v3/properties/{objectType}/{propertyName}): a new
   * label or option list replaces the old one, so an admin can rename, add, reorder and remove
   * options, lifecycle stages among them (docs: properties API, "Update a property").
   */
  updateProperty(
    type: ObjectType,
    name: string,
    change: { label?: string; options?: Array<{ label: string; value: string; hidden?: boolean }> },
  ): PropertyDef {
    const def = this.definitions[type].get(name);
    if (!def) throw notFound(`Unable to find property ${name}`);
    if (change.options && def.type !== 'enumeration')
      throw validation(`Property "${name}" is not an enumeration: it has no options.`);
    const updated: PropertyDef = {
      ...def,
      ...(change.label ? { label: change.label } : {}),
      ...(change.options
        ? {
            options: change.options.map((o, displayOrder) => ({
              label: o.label,
              value: o.value,
              displayOrder,
              hidden: o.hidden ?? false,
            })),
          }
        : {}),
      updatedAt: new Date(this.clock()).toISOString(),
    };
    this.definitions[type].set(name, updated);
    return updated;
  }

  // ---- objects -----------------------------------------------------------------------------

  get(type: ObjectType, id: string, archived = false): StoredObject | undefined {
    const obj = this.objects[type].get(id);
    return obj && obj.archived === archived ? obj : undefined;
  }

  mustGet(type: ObjectType, id: string): StoredObject {
    const obj = this.get(type, id);
    if (!obj) throw notFound();
    return obj;
  }

  /** Objects of a type in ascending id order, from after `after` (an id), `limit` of them. */
  page(
    type: ObjectType,
    limit: number,
    after: string | undefined,
    archived = false,
  ): { items: StoredObject[]; next: string | undefined } {
    const ids = this.order[type];
    let start = 0;
    if (after !== undefined) {
      // Ids are ascending numbers: binary search for the first id after the cursor.
      const cursor = Number(after);
      let lo = 0;
      let hi = ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (Number(ids[mid]) < cursor) lo = mid + 1;
        else hi = mid;
      }
      start = lo;
    }
    const items: StoredObject[] = [];
    let i = start;
    for (; i < ids.length && items.length < limit; i++) {
      const obj = this.objects[type].get(ids[i]!)!;
      if (obj.archived === archived) items.push(obj);
    }
    while (i < ids.length && this.objects[type].get(ids[i]!)!.archived !== archived) i++;
    return { items, next: i < ids.length ? ids[i] : undefined };
  }

  /**
   * A property's values over time, newest first, as HubSpot returns them for
   * `propertiesWithHistory`
   * (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/objects/batch/get-objects):
   * what was written since the object was stored, after the value it was stored with (dated
   * when it was stored). Empty for a property that never had a value.
   */
  propertyHistory(obj: StoredObject, name: string): HistoryEntry[] {
    const written = obj.history?.[name];
    if (written) return written;
    const value = obj.properties[name];
    return value === undefined ? [] : [{ value, at: obj.createdAt, sourceType: 'IMPORT' }];
  }

  private recordHistory(
    obj: StoredObject,
    name: string,
    value: string,
    at: number,
    actor: Actor,
  ): void {
    const earlier = this.propertyHistory(obj, name);
    obj.history ??= {};
    // Only the newest values are kept: the sandbox's memory, not a limit HubSpot documents.
    obj.history[name] = [{ value, at, sourceType: actor.changeSource }, ...earlier].slice(
      0,
      HISTORY_KEPT,
    );
  }

  *all(type: ObjectType): Iterable<StoredObject> {
    for (const obj of this.objects[type].values()) if (!obj.archived) yield obj;
  }

  count(type: ObjectType): number {
    let n = 0;
    for (const obj of this.objects[type].values()) if (!obj.archived) n++;
    return n;
  }

  /** Validates a write and returns the values to store (null clears). Throws HubSpot's 400. */
  validateWrite(type: ObjectType, input: unknown): Record<string, string | null> {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw validation(
        'Invalid input JSON: "properties" must be an object of property names to values.',
      );
    }
    const problems: InvalidValue[] = [];
    const out: Record<string, string | null> = {};
    for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
      const def = this.definitions[type].get(name);
      if (!def) {
        problems.push(unknownProperty(name));
        continue;
      }
      if (def.readOnlyValue) {
        problems.push(readOnlyProperty(name));
        continue;
      }
      const value = normaliseValue(def, raw);
      if (value.ok) out[name] = value.value;
      else problems.push(value.error);
    }
    const owner = ownerProblem(this, type, out);
    if (owner) problems.push(owner);
    if (problems.length > 0) {
      const { message, errors } = invalidValuesMessage(problems);
      throw validation(message, errors);
    }
    return out;
  }

  create(type: ObjectType, input: unknown, actor: Actor): StoredObject {
    const values = this.validateWrite(type, input ?? {});
    const obj = this.insert(type, values);
    const written = Object.entries(obj.properties).filter(([name]) => name in values);
    obj.history = Object.fromEntries(
      written.map(([name, value]) => [
        name,
        [{ value, at: obj.updatedAt, sourceType: actor.changeSource }],
      ]),
    );
    this.emit(this.event(type, obj.id, 'creation', actor));
    for (const [name, value] of Object.entries(obj.properties)) {
      if (name in values)
        this.emit({
          ...this.event(type, obj.id, 'propertyChange', actor),
          propertyName: name,
          propertyValue: value,
        });
    }
    this.afterWrite(type, obj, values, actor);
    return obj;
  }

  /** Stores an object without validation or events: the data generator's fast path. */
  insert(
    type: ObjectType,
    values: Record<string, string | null>,
    at = this.clock(),
    history?: Record<string, HistoryEntry[]>,
  ): StoredObject {
    const id = String(this.nextId++);
    const properties: Record<string, string> = {};
    for (const [name, value] of Object.entries(values))
      if (value !== null) properties[name] = value;
    const iso = new Date(at).toISOString();
    properties['hs_object_id'] = id;
    properties[createdDateProperty(type)] ??= iso;
    properties[modifiedDateProperty(type)] = iso;
    const created = Date.parse(properties[createdDateProperty(type)]!);
    const obj: StoredObject = {
      id,
      properties,
      createdAt: created,
      updatedAt: at,
      archived: false,
      archivedAt: null,
      ...(history ? { history } : {}),
    };
    this.objects[type].set(id, obj);
    this.order[type].push(id);
    return obj;
  }

  update(type: ObjectType, id: string, input: unknown, actor: Actor): StoredObject {
    const obj = this.mustGet(type, id);
    const values = this.validateWrite(type, input ?? {});
    const changed: Record<string, string | null> = {};
    for (const [name, value] of Object.entries(values)) {
      const current = obj.properties[name] ?? null;
      if (current === value) continue;
      // HubSpot ignores a backward lifecycle stage set, in the portal's own stage order;
      // clearing it first is the way back.
      if (name === 'lifecyclestage' && value !== null && current !== null) {
        const options = this.definitions[type].get(name)?.options ?? [];
        const from = options.find((o) => o.value === current)?.displayOrder;
        const to = options.find((o) => o.value === value)?.displayOrder;
        if (from !== undefined && to !== undefined && to < from) continue;
      }
      changed[name] = value;
    }
    if (Object.keys(changed).length === 0) return obj;
    const at = this.clock();
    for (const [name, value] of Object.entries(changed)) {
      this.recordHistory(obj, name, value ?? '', at, actor);
      if (value === null) delete obj.properties[name];
      else obj.properties[name] = value;
    }
    obj.updatedAt = at;
    obj.properties[modifiedDateProperty(type)] = new Date(obj.updatedAt).toISOString();
    for (const [name, value] of Object.entries(changed)) {
      this.emit({
        ...this.event(type, id, 'propertyChange', actor),
        propertyName: name,
        propertyValue: value ?? '',
      });
    }
    this.afterWrite(type, obj, changed, actor);
    return obj;
  }

  archive(type: ObjectType, id: string, actor: Actor): void {
    const obj = this.mustGet(type, id);
    obj.archived = true;
    obj.archivedAt = this.clock();
    this.emit(this.event(type, id, 'deletion', actor));
  }

  /**
   * HubSpot's GDPR delete (POST /crm/v3/objects/contacts/gdpr-delete): the record and its
   * associations are gone for good, and apps subscribed to `contact.privacyDeletion` (hubEvents)
   * are told (https://developers.hubspot.com/docs/api/webhooks). Ours: a deletion event as well,
   * for apps that only subscribe to object.deletion.
   */
  purge(type: ObjectType, id: string, actor: Actor): void {
    const obj = this.mustGet(type, id);
    for (const [to, toId] of this.associations.all(type, id))
      this.associations.remove(type, id, to, toId);
    obj.properties = {};
    obj.archived = true;
    obj.archivedAt = this.clock();
    this.emit(this.event(type, id, 'deletion', actor));
    this.emit(this.event(type, id, 'privacyDeletion', actor));
  }

  /** Merges `otherId` into `primaryId`: blank properties filled, associations moved. */
  merge(type: ObjectType, primaryId: string, otherId: string, actor: Actor): StoredObject {
    if (primaryId === otherId) throw validation('Cannot merge an object with itself.');
    const primary = this.mustGet(type, primaryId);
    const other = this.mustGet(type, otherId);
    let moved = 0;
    for (const [name, value] of Object.entries(other.properties)) {
      if (
        primary.properties[name] === undefined &&
        !this.definitions[type].get(name)?.readOnlyValue
      ) {
        primary.properties[name] = value;
        moved++;
      }
    }
    for (const [to, toId, typeIds] of this.associations.all(type, otherId)) {
      this.associations.add(type, primaryId, to, toId, [...typeIds]);
      this.associations.remove(type, otherId, to, toId);
    }
    other.archived = true;
    other.archivedAt = this.clock();
    primary.updatedAt = this.clock();
    this.emit({
      ...this.event(type, primaryId, 'merge', actor),
      merge: {
        primaryObjectId: Number(primaryId),
        mergedObjectIds: [Number(otherId)],
        newObjectId: Number(primaryId),
        numberOfPropertiesMoved: moved,
      },
    });
    return primary;
  }

  associate(
    from: ObjectType,
    fromId: string,
    to: ObjectType,
    toId: string,
    typeIds: number[],
    actor: Actor,
    emit = true,
  ): void {
    this.mustGet(from, fromId);
    this.mustGet(to, toId);
    const kind = associationKind(from, to);
    if (!kind) throw validation(`${from} cannot be associated with ${to} in this sandbox.`);
    // Every association has the unlabeled type; a label (Primary) comes on top of it.
    const ids = [...new Set([kind.unlabeled, ...typeIds])];
    const isNew = this.associations.add(from, fromId, to, toId, ids);
    const primary = kind.primary !== undefined && ids.includes(kind.primary);
    if (primary && from === 'contacts' && to === 'companies') this.setPrimaryCompany(fromId, toId);
    if (primary && from === 'companies' && to === 'contacts') this.setPrimaryCompany(toId, fromId);
    if (!emit || !isNew) return;
    for (const [a, aId, b, bId] of [
      [from, fromId, to, toId],
      [to, toId, from, fromId],
    ] as const) {
      this.emit({
        ...this.event(a, aId, 'associationChange', actor),
        association: {
          associationType: associationTypeName(a, b),
          associationTypeId: associationKind(a, b)!.unlabeled,
          fromObjectId: Number(aId),
          toObjectId: Number(bId),
          toObjectType: b,
          associationRemoved: false,
          isPrimaryAssociation: primary,
        },
      });
    }
    if (from === 'deals' || to === 'deals') this.promoteCustomers(from === 'deals' ? fromId : toId);
  }

  /**
   * A contact has one primary company: the Primary label moves to `companyId` (off any other)
   * and the contact's `associatedcompanyid` follows, as HubSpot keeps them
   * (https://knowledge.hubspot.com/records/associate-records: "primary company").
   */
  private setPrimaryCompany(contactId: string, companyId: string): void {
    const kind = associationKind('contacts', 'companies')!;
    for (const [otherId, typeIds] of this.associations.list('contacts', contactId, 'companies')) {
      if (otherId === companyId || kind.primary === undefined) continue;
      typeIds.delete(kind.primary);
      for (const [id, back] of this.associations.list('companies', otherId, 'contacts'))
        if (id === contactId && kind.reversePrimary !== undefined) back.delete(kind.reversePrimary);
    }
    const contact = this.mustGet('contacts', contactId);
    contact.properties['associatedcompanyid'] = companyId;
  }

  private afterWrite(
    type: ObjectType,
    obj: StoredObject,
    changed: Record<string, string | null>,
    _actor: Actor,
  ): void {
    if (type === 'deals' && changed['dealstage'] === 'closedwon') this.promoteCustomers(obj.id);
  }

  /** A deal closed won makes its contacts and companies customers (forward only). */
  private promoteCustomers(dealId: string): void {
    const deal = this.get('deals', dealId);
    if (deal?.properties['dealstage'] !== 'closedwon') return;
    const actor: Actor = { changeSource: 'DEALS', sourceId: `deal:${dealId}` };
    for (const to of ['contacts', 'companies'] as const) {
      for (const [id] of this.associations.list('deals', dealId, to)) {
        if (this.get(to, id)) this.update(to, id, { lifecyclestage: 'customer' }, actor);
      }
    }
  }

  private event(
    type: ObjectType,
    id: string,
    kind: ChangeEvent['kind'],
    actor: Actor,
  ): ChangeEvent {
    return {
      portalId: this.id,
      objectType: type,
      objectId: id,
      kind,
      occurredAt: this.clock(),
      actor,
    };
  }
}

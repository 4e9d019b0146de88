import { z } from 'zod';

/*
 * Webhook events as HubSpot sends them: a JSON array of up to 100 independent events.
 * - Fields of every event, `contact.privacyDeletion`: https://developers.hubspot.com/docs/api/webhooks
 * - Merge (`primaryObjectId`, `mergedObjectIds`, `newObjectId`) and association change
 *   (`associationType`, `fromObjectId`, `toObjectId`, `associationRemoved`):
 *   https://developers.hubspot.com/changelog/new-subscription-types-for-webhooks
 * - Generic `object.*` events carry `objectTypeId`; their association changes name both sides'
 *   types (`fromObjectTypeId`, `toObjectTypeId`) and the `associationTypeId` and
 *   `associationCategory`, and no `objectId`:
 *   https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions
 * Each event is read on its own: one HubSpot adds or we do not understand is counted and
 * skipped, never the reason to refuse the other 99 (HubSpot would retry, then drop, them all).
 */

const objectId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const typeId = z.string().regex(/^\d+-\d+$/, 'an object type id such as 0-1');

const envelope = z.looseObject({
  eventId: z.number().int(),
  subscriptionId: z.number().int(),
  portalId: objectId,
  appId: z.number().int(),
  occurredAt: z.number().int().nonnegative(),
  subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/, 'like object.creation'),
  attemptNumber: z.number().int().min(0),
  changeSource: z.string().optional(),
  sourceId: z.string().optional(),
});

const objectEvent = envelope.extend({
  objectId,
  objectTypeId: typeId.optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
});

const mergeEvent = envelope.extend({
  objectId: objectId.optional(),
  objectTypeId: typeId.optional(),
  primaryObjectId: objectId,
  mergedObjectIds: z.array(objectId).min(1),
  newObjectId: objectId.optional(),
});

const associationEvent = envelope.extend({
  objectTypeId: typeId.optional(),
  fromObjectId: objectId,
  toObjectId: objectId,
  fromObjectTypeId: typeId.optional(),
  toObjectTypeId: typeId.optional(),
  associationType: z.string().optional(),
  associationTypeId: z.number().int().optional(),
  associationCategory: z.string().optional(),
  associationRemoved: z.boolean().optional(),
});

type WebhookEvent =
  | ({ shape: 'object' } & z.infer<typeof objectEvent>)
  | ({ shape: 'merge' } & z.infer<typeof mergeEvent>)
  | ({ shape: 'association' } & z.infer<typeof associationEvent>);

/** An event we could not read: which portal it names (if any) and what was wrong. */
export interface UnreadableEvent {
  portalId: number | null;
  subscriptionType: string | null;
  problem: string;
}

type ParsedBatch = { events: WebhookEvent[]; unreadable: UnreadableEvent[] };

const actionOf = (subscriptionType: string) => subscriptionType.split('.')[1] ?? '';

/** Reads one event with the schema its subscription type calls for. */
export function parseWebhookEvent(
  raw: unknown,
): { ok: true; event: WebhookEvent } | { ok: false; error: UnreadableEvent } {
  const head = envelope.safeParse(raw);
  const action = head.success ? actionOf(head.data.subscriptionType) : '';
  const parsed =
    action === 'merge'
      ? withShape('merge', mergeEvent.safeParse(raw))
      : action === 'associationChange'
        ? withShape('association', associationEvent.safeParse(raw))
        : withShape('object', objectEvent.safeParse(raw));
  if (parsed.ok) return parsed;
  const loose = (raw ?? {}) as { portalId?: unknown; subscriptionType?: unknown };
  return {
    ok: false,
    error: {
      portalId: objectId.safeParse(loose.portalId).data ?? null,
      subscriptionType: typeof loose.subscriptionType === 'string' ? loose.subscriptionType : null,
      problem: parsed.problem,
    },
  };
}

function withShape<S extends WebhookEvent['shape'], T>(
  shape: S,
  result: z.ZodSafeParseResult<T>,
): { ok: true; event: WebhookEvent } | { ok: false; problem: string } {
  if (result.success) return { ok: true, event: { shape, ...result.data } as WebhookEvent };
  const issue = result.error.issues[0];
  return {
    ok: false,
    problem: issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'unreadable',
  };
}

/**
 * A batch: the body must be the JSON array HubSpot sends (else the whole request is refused);
 * its events are then read one by one.
 */
export function parseWebhookBatch(
  json: unknown,
): { ok: true; value: ParsedBatch } | { ok: false; error: string } {
  if (!Array.isArray(json)) return { ok: false, error: 'HubSpot sends a JSON array of events.' };
  if (json.length === 0) return { ok: false, error: 'A batch has at least one event.' };
  if (json.length > 1000) return { ok: false, error: 'A batch has at most 1,000 events.' };
  const events: WebhookEvent[] = [];
  const unreadable: UnreadableEvent[] = [];
  for (const raw of json) {
    const result = parseWebhookEvent(raw);
    if (result.ok) events.push(result.event);
    else unreadable.push(result.error);
  }
  return { ok: true, value: { events, unreadable } };
}

const CONTACT = '0-1';
/** HubSpot's Leads object (https://developers.hubspot.com/docs/api-reference/latest/crm/objects/leads/object-definition). */
const LEAD = '0-136';
const ENGAGEMENT_TYPE_IDS: Record<string, EngagementType> = {
  '0-48': 'calls',
  '0-49': 'emails',
  '0-47': 'meetings',
  '0-46': 'notes',
  '0-27': 'tasks',
};
const LEGACY_ENGAGEMENTS: Record<string, EngagementType> = {
  call: 'calls',
  email: 'emails',
  meeting: 'meetings',
  meeting_event: 'meetings',
  note: 'notes',
  task: 'tasks',
};
type EngagementType = 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks';

export type EventAction =
  | { kind: 'rescore'; portalId: number; contactId: string; occurredAt: number }
  | { kind: 'deleted'; portalId: number; contactId: string }
  | { kind: 'erase'; portalId: number; contactId: string }
  | { kind: 'engagement'; portalId: number; objectType: EngagementType; objectId: string }
  /** A lead's stage or owner changed, or it was deleted: sales' work on a hand-off. */
  | { kind: 'lead'; portalId: number; leadId: string; eventId: number }
  | { kind: 'ignored'; reason: 'own-change' | 'not-relevant' };

/**
 * Which side of an association change is a contact. Generic events name both sides' type ids;
 * legacy ones an `associationType` such as CONTACT_TO_COMPANY, and are sent for the object of
 * the subscription (`contact.associationChange`: the contact is `fromObjectId`).
 */
function contactOfAssociation(event: Extract<WebhookEvent, { shape: 'association' }>) {
  const [prefix] = event.subscriptionType.split('.');
  const legacy = event.associationType?.toUpperCase().split('_TO_');
  const from =
    event.fromObjectTypeId ??
    event.objectTypeId ??
    (legacy?.[0] === 'CONTACT' || prefix === 'contact' ? CONTACT : undefined);
  const to = event.toObjectTypeId ?? (legacy?.[1] === 'CONTACT' ? CONTACT : undefined);
  if (from === CONTACT) return String(event.fromObjectId);
  if (to === CONTACT) return String(event.toObjectId);
  return null;
}

/**
 * What an event asks of the app. Changes made by this app itself (its writes show as
 * INTEGRATION with the app id as sourceId, or touch our lq_* properties) are ignored, so
 * writing back never triggers another rescore.
 */
export function actionsFor(event: WebhookEvent, appId: number): EventAction[] {
  if (event.shape === 'object' && event.propertyName?.startsWith('lq_'))
    return [{ kind: 'ignored', reason: 'own-change' }];
  if (event.changeSource === 'INTEGRATION' && event.sourceId === String(appId))
    return [{ kind: 'ignored', reason: 'own-change' }];
  const { portalId, occurredAt } = event;
  const [prefix, action] = event.subscriptionType.split('.') as [string, string];

  if (event.shape === 'association') {
    // An engagement or a company associated after its creation changes the contact's facts.
    const contactId = contactOfAssociation(event);
    return contactId === null
      ? [{ kind: 'ignored', reason: 'not-relevant' }]
      : [{ kind: 'rescore', portalId, contactId, occurredAt }];
  }
  const typeId = event.objectTypeId ?? (prefix === 'contact' ? CONTACT : undefined);
  if (event.shape === 'merge') {
    if (typeId !== CONTACT) return [{ kind: 'ignored', reason: 'not-relevant' }];
    const primary = String(event.newObjectId ?? event.primaryObjectId);
    const merged = event.mergedObjectIds.map(String).filter((id) => id !== primary);
    return [
      { kind: 'rescore', portalId, contactId: primary, occurredAt },
      ...merged.map((id) => ({ kind: 'deleted' as const, portalId, contactId: id })),
    ];
  }
  if (typeId === CONTACT) {
    const contactId = String(event.objectId);
    switch (action) {
      case 'privacyDeletion':
        return [{ kind: 'erase', portalId, contactId }];
      case 'deletion':
        return [{ kind: 'deleted', portalId, contactId }];
      case 'creation':
      case 'propertyChange':
      case 'restore':
        return [{ kind: 'rescore', portalId, contactId, occurredAt }];
      default:
        return [{ kind: 'ignored', reason: 'not-relevant' }];
    }
  }
  if (typeId === LEAD || prefix === 'lead')
    return action === 'propertyChange' || action === 'deletion' || action === 'restore'
      ? [{ kind: 'lead', portalId, leadId: String(event.objectId), eventId: event.eventId }]
      : [{ kind: 'ignored', reason: 'not-relevant' }];
  const engagement = (typeId && ENGAGEMENT_TYPE_IDS[typeId]) || LEGACY_ENGAGEMENTS[prefix];
  if (
    engagement &&
    (action === 'creation' || action === 'propertyChange' || action === 'restore')
  ) {
    return [
      { kind: 'engagement', portalId, objectType: engagement, objectId: String(event.objectId) },
    ];
  }
  return [{ kind: 'ignored', reason: 'not-relevant' }];
}

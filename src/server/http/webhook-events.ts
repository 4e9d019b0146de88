import { z } from 'zod';

/**
 * A webhook batch as HubSpot sends it: a JSON array of events (docs: webhooks; generic
 * `object.*` subscriptions add objectTypeId). Unknown fields are kept, not refused.
 */
export const webhookEventSchema = z.looseObject({
  eventId: z.number().int(),
  subscriptionId: z.number().int(),
  portalId: z.number().int().positive(),
  appId: z.number().int(),
  occurredAt: z.number().int(),
  subscriptionType: z.string().regex(/^[a-z_]+\.[A-Za-z]+$/, 'like object.creation'),
  attemptNumber: z.number().int().min(0),
  objectId: z.number().int(),
  objectTypeId: z.string().optional(),
  changeSource: z.string().optional(),
  sourceId: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  primaryObjectId: z.number().int().optional(),
  mergedObjectIds: z.array(z.number().int()).optional(),
  newObjectId: z.number().int().optional(),
  fromObjectId: z.number().int().optional(),
  toObjectId: z.number().int().optional(),
  associationRemoved: z.boolean().optional(),
});
export const webhookBatchSchema = z
  .array(webhookEventSchema)
  .min(1, 'a batch has at least one event')
  .max(1000, 'a batch has at most 1,000 events');
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

const ENGAGEMENT_TYPE_IDS: Record<string, 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks'> = {
  '0-48': 'calls',
  '0-49': 'emails',
  '0-47': 'meetings',
  '0-46': 'notes',
  '0-27': 'tasks',
};
const LEGACY_ENGAGEMENTS: Record<string, 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks'> = {
  call: 'calls',
  email: 'emails',
  meeting: 'meetings',
  meeting_event: 'meetings',
  note: 'notes',
  task: 'tasks',
};

export type EventAction =
  | { kind: 'rescore'; portalId: number; contactId: string; occurredAt: number }
  | { kind: 'deleted'; portalId: number; contactId: string }
  | {
      kind: 'engagement';
      portalId: number;
      objectType: 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks';
      objectId: string;
    }
  | { kind: 'ignored'; reason: 'own-change' | 'not-relevant' };

/**
 * What an event asks of the app. Changes made by this app itself (its writes show as
 * INTEGRATION with the app id as sourceId, or touch our lq_* properties) are ignored, so
 * writing back never triggers another rescore.
 */
export function actionsFor(event: WebhookEvent, appId: number): EventAction[] {
  if (event.propertyName?.startsWith('lq_')) return [{ kind: 'ignored', reason: 'own-change' }];
  if (event.changeSource === 'INTEGRATION' && event.sourceId === String(appId))
    return [{ kind: 'ignored', reason: 'own-change' }];
  const [prefix, action] = event.subscriptionType.split('.') as [string, string];
  const typeId = event.objectTypeId ?? (prefix === 'contact' ? '0-1' : undefined);
  const engagement = (typeId && ENGAGEMENT_TYPE_IDS[typeId]) || LEGACY_ENGAGEMENTS[prefix];
  const { portalId } = event;
  if (typeId === '0-1') {
    const contactId = String(event.objectId);
    switch (action) {
      case 'deletion':
      case 'privacyDeletion':
        return [{ kind: 'deleted', portalId, contactId }];
      case 'merge': {
        const primary = String(event.primaryObjectId ?? event.newObjectId ?? event.objectId);
        const merged = (event.mergedObjectIds ?? []).map(String).filter((id) => id !== primary);
        return [
          { kind: 'rescore', portalId, contactId: primary, occurredAt: event.occurredAt },
          ...merged.map((id) => ({ kind: 'deleted' as const, portalId, contactId: id })),
        ];
      }
      case 'creation':
      case 'propertyChange':
      case 'restore':
      case 'associationChange':
        return [{ kind: 'rescore', portalId, contactId, occurredAt: event.occurredAt }];
      default:
        return [{ kind: 'ignored', reason: 'not-relevant' }];
    }
  }
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

import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  parseWebhookBatch,
  parseWebhookEvent,
  type EventAction,
} from '../../src/server/hubspot/webhook-events';

// Shapes from HubSpot's documentation: https://developers.hubspot.com/docs/api/webhooks (every
// event's fields, contact.privacyDeletion), /changelog/new-subscription-types-for-webhooks
// (merge and association change) and /changelog/public-beta-generic-webhook-subscriptions
// (object.* events and their objectTypeId).

const APP = 77;
const envelope = (subscriptionType: string, extra: Record<string, unknown> = {}) => ({
  eventId: 1,
  subscriptionId: 2,
  portalId: 62515,
  appId: APP,
  occurredAt: 1_764_000_000_000,
  subscriptionType,
  attemptNumber: 0,
  changeSource: 'CRM_UI',
  ...extra,
});

function actions(raw: Record<string, unknown>): EventAction[] {
  const parsed = parseWebhookEvent(raw);
  if (!parsed.ok) throw new Error(parsed.error.problem);
  return actionsFor(parsed.event, APP);
}

const rescore = (contactId: string) => ({
  kind: 'rescore',
  portalId: 62515,
  contactId,
  occurredAt: 1_764_000_000_000,
});

describe('what each webhook event asks of the app', () => {
  it.each([
    [
      'a new contact',
      envelope('object.creation', { objectId: 5, objectTypeId: '0-1' }),
      [rescore('5')],
    ],
    [
      'a legacy contact change',
      envelope('contact.propertyChange', {
        objectId: 5,
        propertyName: 'jobtitle',
        propertyValue: 'CEO',
      }),
      [rescore('5')],
    ],
    [
      "a rep moving a lead's stage",
      envelope('object.propertyChange', {
        objectId: 9,
        objectTypeId: '0-136',
        propertyName: 'hs_pipeline_stage',
        propertyValue: 'qualified-stage-id',
      }),
      [{ kind: 'lead', portalId: 62515, leadId: '9', eventId: 1 }],
    ],
    [
      'a deleted lead',
      envelope('object.deletion', { objectId: 9, objectTypeId: '0-136' }),
      [{ kind: 'lead', portalId: 62515, leadId: '9', eventId: 1 }],
    ],
    [
      'a new lead (a hand-off knows the leads it makes)',
      envelope('object.creation', { objectId: 9, objectTypeId: '0-136' }),
      [{ kind: 'ignored', reason: 'not-relevant' }],
    ],
    [
      'a restored contact',
      envelope('object.restore', { objectId: 5, objectTypeId: '0-1' }),
      [rescore('5')],
    ],
    [
      'a deleted contact',
      envelope('object.deletion', { objectId: 5, objectTypeId: '0-1' }),
      [{ kind: 'deleted', portalId: 62515, contactId: '5' }],
    ],
    [
      'a privacy deletion',
      envelope('contact.privacyDeletion', { objectId: 5 }),
      [{ kind: 'erase', portalId: 62515, contactId: '5' }],
    ],
    [
      'a merge',
      envelope('object.merge', {
        objectId: 5,
        objectTypeId: '0-1',
        primaryObjectId: 5,
        mergedObjectIds: [6, 7],
        newObjectId: 5,
      }),
      [
        rescore('5'),
        { kind: 'deleted', portalId: 62515, contactId: '6' },
        { kind: 'deleted', portalId: 62515, contactId: '7' },
      ],
    ],
    [
      'a merge into a new record',
      envelope('contact.merge', {
        objectId: 5,
        primaryObjectId: 5,
        mergedObjectIds: [6],
        newObjectId: 9,
      }),
      [rescore('9'), { kind: 'deleted', portalId: 62515, contactId: '6' }],
    ],
    [
      'a note associated with a contact (generic)',
      envelope('object.associationChange', {
        fromObjectId: 40,
        fromObjectTypeId: '0-46',
        toObjectId: 5,
        toObjectTypeId: '0-1',
        associationTypeId: 202,
        associationCategory: 'HUBSPOT_DEFINED',
        associationRemoved: false,
      }),
      [rescore('5')],
    ],
    [
      'a company removed from a contact (legacy)',
      envelope('contact.associationChange', {
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: 5,
        toObjectId: 80,
        associationRemoved: true,
      }),
      [rescore('5')],
    ],
    [
      'a company associated with a contact, from the company side',
      envelope('company.associationChange', {
        associationType: 'COMPANY_TO_CONTACT',
        fromObjectId: 80,
        toObjectId: 5,
        associationRemoved: false,
      }),
      [rescore('5')],
    ],
    [
      'a deal associated with a company',
      envelope('object.associationChange', {
        fromObjectId: 80,
        fromObjectTypeId: '0-2',
        toObjectId: 90,
        toObjectTypeId: '0-3',
        associationTypeId: 342,
      }),
      [{ kind: 'ignored', reason: 'not-relevant' }],
    ],
    [
      'a new call',
      envelope('object.creation', { objectId: 30, objectTypeId: '0-48' }),
      [{ kind: 'engagement', portalId: 62515, objectType: 'calls', objectId: '30' }],
    ],
    [
      'a new meeting (legacy name)',
      envelope('meeting_event.creation', { objectId: 31 }),
      [{ kind: 'engagement', portalId: 62515, objectType: 'meetings', objectId: '31' }],
    ],
    [
      'a deal change',
      envelope('object.propertyChange', {
        objectId: 90,
        objectTypeId: '0-3',
        propertyName: 'amount',
        propertyValue: '1',
      }),
      [{ kind: 'ignored', reason: 'not-relevant' }],
    ],
    [
      'our own property written',
      envelope('object.propertyChange', {
        objectId: 5,
        objectTypeId: '0-1',
        propertyName: 'lq_score',
        propertyValue: '80',
      }),
      [{ kind: 'ignored', reason: 'own-change' }],
    ],
    [
      'a change our app made',
      envelope('object.propertyChange', {
        objectId: 5,
        objectTypeId: '0-1',
        propertyName: 'lifecyclestage',
        propertyValue: 'lead',
        changeSource: 'INTEGRATION',
        sourceId: String(APP),
      }),
      [{ kind: 'ignored', reason: 'own-change' }],
    ],
  ] as const)('%s', (_what, raw, expected) => {
    expect(actions(raw)).toEqual(expected);
  });

  it.each([
    [
      'a negative object id',
      envelope('object.deletion', { objectId: -1, objectTypeId: '0-1' }),
      /objectId/,
    ],
    [
      'a merge naming a negative id',
      envelope('object.merge', { objectTypeId: '0-1', primaryObjectId: 5, mergedObjectIds: [-1] }),
      /mergedObjectIds/,
    ],
    [
      'an event without its object',
      envelope('object.creation', { objectTypeId: '0-1' }),
      /objectId/,
    ],
    [
      'an association change without its sides',
      envelope('object.associationChange', { objectId: 5 }),
      /fromObjectId/,
    ],
    ['no portal', { ...envelope('object.creation', { objectId: 5 }), portalId: 'x' }, /portalId/],
  ] as const)('is skipped, saying why, when it has %s', (_what, raw, problem) => {
    const parsed = parseWebhookEvent(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.problem).toMatch(problem);
  });

  it('a batch is read event by event; only a body that is not a list of events is refused', () => {
    const batch = parseWebhookBatch([
      envelope('object.creation', { objectId: 5, objectTypeId: '0-1' }),
      envelope('object.creation', { objectId: -5, objectTypeId: '0-1' }),
      'not an event',
    ]);
    expect(batch.ok && batch.value.events.length).toBe(1);
    expect(batch.ok && batch.value.unreadable.map((u) => u.portalId)).toEqual([62515, null]);
    expect(parseWebhookBatch({ events: [] })).toEqual({
      ok: false,
      error: 'HubSpot sends a JSON array of events.',
    });
    expect(parseWebhookBatch([]).ok).toBe(false);
  });
});

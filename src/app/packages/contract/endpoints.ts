/**
 * Each route's schemas: the path parameters and body the backend accepts (and validates with
 * these), the answer it sends (shaped with these) and its status. The UI's calls are typed from
 * the same table, so a change to either side that breaks the other fails to compile.
 */
import { z } from 'zod';
import { cardViewSchema } from './card';
import { contactIdSchema, recordIdSchema } from './common';
import { feedbackRequestSchema, feedbackViewSchema } from './feedback';
import type { RouteName } from './routes';
import { handOffSettingsSchema, handOffViewSchema, routingPreviewSchema } from './handoff';
import {
  driftViewSchema,
  funnelViewSchema,
  healthViewSchema,
  modelViewSchema,
  previewRecordSchema,
  previewRequestSchema,
  propertiesViewSchema,
  publishedViewSchema,
  publishRequestSchema,
  queuedSchema,
  rollbackRequestSchema,
  saveDraftRequestSchema,
  trainingRecordSchema,
  versionViewSchema,
} from './settings';

export interface EndpointSchemas {
  params: z.ZodType<Record<string, string>>;
  body: z.ZodType | null;
  response: z.ZodType;
  status: 200 | 201 | 202;
}

const none = z.object({});
const contact = z.object({ contactId: contactIdSchema });

export const ENDPOINTS = {
  card: { params: contact, body: null, response: cardViewSchema, status: 200 },
  rescore: { params: contact, body: null, response: cardViewSchema, status: 202 },
  giveFeedback: {
    params: contact,
    body: feedbackRequestSchema,
    response: cardViewSchema,
    status: 202,
  },
  handOff: { params: contact, body: null, response: cardViewSchema, status: 202 },
  handOffSettings: { params: none, body: null, response: handOffViewSchema, status: 200 },
  saveHandOff: {
    params: none,
    body: handOffSettingsSchema,
    response: handOffViewSchema,
    status: 200,
  },
  previewRouting: {
    params: none,
    body: handOffSettingsSchema,
    response: routingPreviewSchema,
    status: 200,
  },
  model: { params: none, body: null, response: modelViewSchema, status: 200 },
  saveDraft: { params: none, body: saveDraftRequestSchema, response: modelViewSchema, status: 200 },
  discardDraft: { params: none, body: null, response: modelViewSchema, status: 200 },
  startPreview: {
    params: none,
    body: previewRequestSchema,
    response: previewRecordSchema,
    status: 202,
  },
  preview: {
    params: z.object({ previewId: recordIdSchema }),
    body: null,
    response: previewRecordSchema,
    status: 200,
  },
  publish: { params: none, body: publishRequestSchema, response: publishedViewSchema, status: 201 },
  rollback: { params: none, body: rollbackRequestSchema, response: modelViewSchema, status: 200 },
  version: {
    params: z.object({
      version: z.string().regex(/^[1-9][0-9]{0,8}$/, 'a version number from the versions list'),
    }),
    body: null,
    response: versionViewSchema,
    status: 200,
  },
  properties: { params: none, body: null, response: propertiesViewSchema, status: 200 },
  health: { params: none, body: null, response: healthViewSchema, status: 200 },
  startTraining: { params: none, body: null, response: trainingRecordSchema, status: 202 },
  training: {
    params: z.object({ trainingId: recordIdSchema }),
    body: null,
    response: trainingRecordSchema,
    status: 200,
  },
  drift: { params: none, body: null, response: driftViewSchema, status: 200 },
  startDriftCheck: { params: none, body: null, response: queuedSchema, status: 202 },
  funnel: { params: none, body: null, response: funnelViewSchema, status: 200 },
  feedback: { params: none, body: null, response: feedbackViewSchema, status: 200 },
} as const satisfies { [K in RouteName]: EndpointSchemas };

type Endpoint<K extends RouteName> = (typeof ENDPOINTS)[K];

/** The path parameters of route `K`, as the UI fills them in. */
export type ParamsOf<K extends RouteName> = z.input<Endpoint<K>['params']>;
/** The body route `K` accepts, as the UI sends it (`undefined`: the route takes none). */
export type RequestOf<K extends RouteName> = Endpoint<K>['body'] extends z.ZodType
  ? z.input<Endpoint<K>['body']>
  : undefined;
/** The body as the backend reads it, after validation and defaults. */
export type ParsedRequestOf<K extends RouteName> = Endpoint<K>['body'] extends z.ZodType
  ? z.output<Endpoint<K>['body']>
  : undefined;
/** What route `K` answers with. */
export type ResponseOf<K extends RouteName> = z.output<Endpoint<K>['response']>;

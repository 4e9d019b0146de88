import { Router } from 'express';
import { z } from 'zod';
import { faultSchema } from '../faults';
import { seedPortal, type SeedSummary } from '../generator';
import { validation } from '../hubspot-error';
import type { WebhookSettings } from '../oauth-server';
import { ALL_SCOPES, type SandboxState } from '../sandbox-state';

const subscription = z.object({
  subscriptionType: z
    .string()
    .regex(/^[a-z_]+\.[A-Za-z]+$/, 'like object.creation or contact.propertyChange'),
  objectType: z.string().optional(),
  propertyName: z.string().optional(),
  active: z.boolean().default(true),
});

/**
 * `webhooks` in the shape of the project's webhooks-hsmeta.json `config` —
 * `{ settings: { targetUrl, maxConcurrentRequests }, subscriptions: { crmObjects, legacyCrmObjects } }` —
 * or flattened as `{ targetUrl, subscriptions }`.
 */
const webhooksInput = z
  .object({
    targetUrl: z.url().optional(),
    maxConcurrentRequests: z.number().int().min(1).max(100).optional(),
    settings: z
      .object({
        targetUrl: z.url(),
        maxConcurrentRequests: z.number().int().min(1).max(100).optional(),
      })
      .optional(),
    subscriptions: z.union([
      z.array(subscription),
      z.object({
        crmObjects: z.array(subscription).default([]),
        legacyCrmObjects: z.array(subscription).default([]),
        hubEvents: z.array(subscription).default([]),
      }),
    ]),
  })
  .transform((w, ctx): WebhookSettings => {
    const targetUrl = w.settings?.targetUrl ?? w.targetUrl;
    if (!targetUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetUrl'],
        message: 'give targetUrl (or settings.targetUrl)',
      });
      return z.NEVER;
    }
    const subs = Array.isArray(w.subscriptions)
      ? w.subscriptions
      : [...w.subscriptions.crmObjects, ...w.subscriptions.legacyCrmObjects];
    return {
      targetUrl,
      maxConcurrentRequests: w.settings?.maxConcurrentRequests ?? w.maxConcurrentRequests ?? 10,
      subscriptions: subs.map((s) => ({
        subscriptionType: s.subscriptionType,
        objectType: s.objectType ?? s.subscriptionType.split('.')[0]!,
        active: s.active,
        ...(s.propertyName ? { propertyName: s.propertyName } : {}),
      })),
    };
  });

const appInput = z.object({
  redirectUri: z.url(),
  webhooks: webhooksInput.optional(),
  scopes: z.array(z.string().min(1)).optional(),
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(8).optional(),
});

const portalInput = z.object({
  seed: z.number().int().optional(),
  contacts: z.number().int().min(0).max(200_000).optional(),
});
const seedInput = z.object({
  seed: z.number().int(),
  contacts: z.number().int().min(0).max(200_000),
});
const ownerInput = z.object({
  email: z.email(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  teams: z.array(z.string().min(1)).optional(),
  seats: z.array(z.string().min(1)).optional(),
  availability: z.enum(['available', 'away']).optional(),
});
const ownerChange = z.object({
  seats: z.array(z.string().min(1)).optional(),
  availability: z.enum(['available', 'away']).optional(),
  archived: z.boolean().optional(),
});
const rateInput = z.object({
  enabled: z.boolean().optional(),
  burst: z.number().int().min(1).optional(),
  windowMs: z.number().int().min(1).optional(),
  searchPerSecond: z.number().int().min(1).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success)
    throw validation(
      `Invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

const summaryJson = (s: SeedSummary) => ({
  contacts: s.contacts,
  companies: s.companies,
  deals: s.deals,
  engagements: s.engagements,
  personas: s.personas,
});

/**
 * The sandbox's own API (the stable interface tests and the demo use): register apps, create
 * and seed portals, inject faults, tune limits, read counters. Not part of HubSpot.
 */
export function adminRoutes(state: SandboxState): Router {
  const router = Router();

  router.post('/_sandbox/apps', (req, res) => {
    const input = parse(appInput, req.body);
    const app = state.oauth.registerApp({
      redirectUri: input.redirectUri,
      scopes: input.scopes ?? ALL_SCOPES,
      webhooks: input.webhooks ?? null,
      clientId: input.clientId,
      clientSecret: input.clientSecret,
    });
    res
      .status(201)
      .json({ appId: app.appId, clientId: app.clientId, clientSecret: app.clientSecret });
  });

  router.post('/_sandbox/portals', (req, res) => {
    const input = parse(portalInput, req.body);
    const portal = state.createPortal();
    const seeded = input.contacts
      ? seedPortal(portal, { seed: input.seed ?? 1, contacts: input.contacts })
      : null;
    if (seeded) state.truth.set(portal.id, seeded.truth);
    res.status(201).json({
      portalId: portal.id,
      accessToken: state.oauth.portalToken(portal.id, ALL_SCOPES),
      ...(seeded ? { seeded: summaryJson(seeded) } : {}),
    });
  });

  router.post('/_sandbox/portals/:portalId/seed', (req, res) => {
    const input = parse(seedInput, req.body);
    const portal = state.portal(Number(req.params['portalId']));
    const seeded = seedPortal(portal, input);
    const truth = state.truth.get(portal.id) ?? new Map();
    for (const [id, t] of seeded.truth) truth.set(id, t);
    state.truth.set(portal.id, truth);
    res.json(summaryJson(seeded));
  });

  /** The generator's intent per contact (persona, converted): ground truth for tests. */
  // The portal's users, as an admin adds them in HubSpot's user settings (owners API, seats,
  // teams, availability); and whether its subscription has the Leads object.
  router.post('/_sandbox/portals/:portalId/owners', (req, res) => {
    const portal = state.portal(Number(req.params['portalId']));
    const input = parse(ownerInput, req.body);
    res.status(201).json(portal.staff.add(input));
  });
  router.patch('/_sandbox/portals/:portalId/owners/:ownerId', (req, res) => {
    const portal = state.portal(Number(req.params['portalId']));
    res.json(portal.staff.change(String(req.params['ownerId']), parse(ownerChange, req.body)));
  });
  router.post('/_sandbox/portals/:portalId/features', (req, res) => {
    const portal = state.portal(Number(req.params['portalId']));
    const input = parse(z.object({ leads: z.boolean() }), req.body);
    portal.hasLeads = input.leads;
    res.json({ leads: portal.hasLeads });
  });

  router.get('/_sandbox/portals/:portalId/truth', (req, res) => {
    const portal = state.portal(Number(req.params['portalId']));
    res.json(Object.fromEntries(state.truth.get(portal.id) ?? new Map()));
  });

  router.post('/_sandbox/portals/:portalId/expire-tokens', (req, res) => {
    res.json({
      expired: state.oauth.expireAccessTokens(state.portal(Number(req.params['portalId'])).id),
    });
  });

  router.post('/_sandbox/faults', (req, res) => {
    const config = parse(faultSchema.extend({ seed: z.number().int().optional() }), req.body);
    const { seed, ...fault } = config;
    state.faults.set(fault, seed);
    res.status(201).json(fault);
  });
  router.delete('/_sandbox/faults', (_req, res) => {
    state.faults.clear();
    res.status(204).end();
  });

  router.post('/_sandbox/rate-limits', (req, res) => {
    state.limiter.options = { ...state.limiter.options, ...parse(rateInput, req.body) };
    res.json(state.limiter.options);
  });

  /** Waits until every webhook delivery (and retry) is done. */
  router.post('/_sandbox/webhooks/drain', async (_req, res) => {
    await state.dispatcher.idle();
    res.json(state.dispatcher.stats);
  });

  router.get('/_sandbox/stats', (_req, res) => {
    res.json({
      requests: { total: state.stats.total(), byEndpoint: state.stats.toJSON() },
      rateLimited: state.limiter.limited,
      faultsInjected: state.faults.injected,
      webhooks: state.dispatcher.stats,
      portals: [...state.portals.values()].map((p) => ({
        portalId: p.id,
        contacts: p.count('contacts'),
        companies: p.count('companies'),
        deals: p.count('deals'),
      })),
    });
  });

  router.get('/_sandbox/requests', (req, res) => {
    const limit = Math.min(1000, Number(req.query['limit'] ?? 100) || 100);
    res.json(
      state.requestLog.slice(-limit).map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    );
  });

  return router;
}

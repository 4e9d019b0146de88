import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'bullmq';
import { createSandbox, type Sandbox } from '../sandbox/create-sandbox';
import { seedPortal, type SeedSummary } from '../sandbox/generator';
import { DEMO_MODEL } from '../server/domain/default-model';
import { projectWebhooks } from '../sandbox/project-webhooks';
import type { RateLimitOptions } from '../sandbox/rate-limiter';
import { ALL_SCOPES, type SandboxOptions } from '../sandbox/sandbox-state';
import { createRuntime, type Runtime, type RuntimeOptions } from '../server/compose';
import { loadConfig } from '../server/config';

export interface StackOptions {
  redisUrl: string;
  /** Redis key prefix of this stack (one per test, so stacks never share keys). */
  prefix?: string;
  contacts?: number;
  /** Dormant contacts besides (a big portal's long tail: nothing done for over a year). */
  dormant?: number;
  seed?: number;
  /** The sandbox's HubSpot rate limits; the app's limiter is set to match them. */
  rateLimits?: Partial<RateLimitOptions>;
  delivery?: SandboxOptions['delivery'];
  workers?: number;
  concurrency?: number;
  /** WORKER_LOCK_MS: how soon a crashed worker's job is taken over. */
  lockMs?: number;
  logLevel?: 'silent' | 'info' | 'debug' | 'warn' | 'error';
  runtime?: RuntimeOptions;
}

export interface Stack {
  sandbox: Sandbox;
  runtime: Runtime;
  /** The app's public base URL (web role, port chosen by the OS). */
  appUrl: string;
  portalId: number;
  /** A token for the portal with every scope: edits with it play a person in HubSpot. */
  personToken: string;
  app: { appId: number; clientId: string; clientSecret: string };
  seeded: SeedSummary | null;
  workers: Worker[];
  /**
   * Installs the app through the real OAuth redirects, as an admin's browser would, in the
   * stack's portal or in another of the sandbox's (`addPortal`).
   */
  install(portalId?: number): Promise<{ status: number; page: string }>;
  /** Another generated portal in the same HubSpot (not installed yet): its id. */
  addPortal(options: { contacts: number; seed?: number }): number;
  /**
   * A deploy: the web role and workers stop and start again on the same Redis and URL, with
   * `env` over the configuration (e.g. another HUBSPOT_CLIENT_SECRET); `runtime` and
   * `workers` are the new ones.
   */
  redeploy(env: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole product on one machine: an offline HubSpot with a generated portal, the web role
 * on a real port, workers on Redis. The demo and the end-to-end tests run on it.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const rateLimits: RateLimitOptions = {
    enabled: true,
    burst: 100,
    windowMs: 10_000,
    searchPerSecond: 5,
    ...options.rateLimits,
  };
  const sandbox = await createSandbox({
    seed: options.seed ?? 7,
    rateLimits,
    delivery: options.delivery,
  });
  const portal = sandbox.state.createPortal();
  const seeded = options.contacts
    ? seedPortal(portal, {
        seed: options.seed ?? 7,
        contacts: options.contacts,
        dormant: options.dormant ?? 0,
      })
    : null;
  if (seeded) sandbox.state.truth.set(portal.id, seeded.truth);
  const personToken = sandbox.state.oauth.portalToken(portal.id, ALL_SCOPES);

  // The web role's socket first: its URL is the OAuth redirect and the webhook target.
  let handler: Parameters<typeof createServer>[1] = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const registered = sandbox.state.oauth.registerApp({
    redirectUri: `${appUrl}/oauth/callback`,
    scopes: ALL_SCOPES,
    webhooks: projectWebhooks(`${appUrl}/webhooks/hubspot`),
  });
  const app = {
    appId: registered.appId,
    clientId: registered.clientId,
    clientSecret: registered.clientSecret,
  };
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: options.logLevel ?? 'silent',
    PUBLIC_BASE_URL: appUrl,
    REDIS_URL: options.redisUrl,
    HUBSPOT_CLIENT_ID: app.clientId,
    HUBSPOT_CLIENT_SECRET: app.clientSecret,
    HUBSPOT_APP_ID: String(app.appId),
    HUBSPOT_API_BASE_URL: sandbox.url,
    HUBSPOT_AUTHORIZE_URL: `${sandbox.url}/oauth/authorize`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    QUEUE_PREFIX: options.prefix ?? `lq-${randomBytes(4).toString('hex')}`,
    WORKER_CONCURRENCY: String(options.concurrency ?? 32),
    WORKER_LOCK_MS: String(options.lockMs ?? 30_000),
  };
  // The app's limiter keeps under the sandbox's limits, a little longer windows as for HubSpot.
  const scale = rateLimits.windowMs / 10_000;
  const runtimeOptions: RuntimeOptions = {
    buckets: {
      burst: { limit: rateLimits.burst, windowMs: Math.round(rateLimits.windowMs * 1.01) },
      search: {
        limit: Math.max(1, rateLimits.searchPerSecond - 1),
        windowMs: Math.round(1_100 * Math.max(scale, 0.1)),
      },
    },
    ...options.runtime,
  };
  const deploy = (overrides: Record<string, string>) => {
    const runtime = createRuntime(loadConfig({ ...env, ...overrides }), runtimeOptions);
    handler = runtime.app;
    const workers = Array.from({ length: options.workers ?? 1 }, () => runtime.startWorker());
    return { runtime, workers };
  };

  const stack: Stack = {
    sandbox,
    ...deploy({}),
    appUrl,
    portalId: portal.id,
    personToken,
    app,
    seeded,
    async install(portalId = portal.id) {
      // The demo company's admin has filled in its competitors and countries (each portal's
      // own lists: the default model ships them empty). A model set before stays.
      if (seeded || portalId !== portal.id)
        await stack.runtime.models.ensureInitial(portalId, DEMO_MODEL);
      const start = await fetch(`${appUrl}/oauth/install`, { redirect: 'manual' });
      const authorize = new URL(start.headers.get('location')!);
      authorize.searchParams.set('portalId', String(portalId));
      const approved = await fetch(authorize, { redirect: 'manual' });
      const callback = approved.headers.get('location')!;
      const done = await fetch(callback, { redirect: 'manual' });
      return { status: done.status, page: await done.text() };
    },
    addPortal({ contacts, seed = 11 }) {
      const other = sandbox.state.createPortal();
      const summary = seedPortal(other, { seed, contacts });
      sandbox.state.truth.set(other.id, summary.truth);
      return other.id;
    },
    async redeploy(overrides) {
      handler = (_req, res) => res.writeHead(503).end();
      await stack.runtime.close();
      Object.assign(stack, deploy(overrides));
    },
    async close() {
      await stack.runtime.close();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await sandbox.close();
    },
  };
  return stack;
}

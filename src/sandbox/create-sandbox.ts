import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { HubSpotError } from './hubspot-error';
import { ownerRoutes } from './http/owner-routes';
import { adminRoutes } from './http/admin-routes';
import { associationRoutes } from './http/association-routes';
import { apiGate, type AuthedRequest } from './http/auth';
import { crmRoutes } from './http/crm-routes';
import { oauthRoutes } from './http/oauth-routes';
import { propertyRoutes } from './http/property-routes';
import { SandboxState, type SandboxOptions } from './sandbox-state';

export interface Sandbox {
  /** Base URL, e.g. http://127.0.0.1:4010 — the `basePath` for @hubspot/api-client. */
  url: string;
  state: SandboxState;
  close(): Promise<void>;
}

/** Every error as HubSpot answers it; a bug becomes HubSpot's 500, never a crash. */
const hubspotErrors: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  let e: HubSpotError;
  if (error instanceof HubSpotError) e = error;
  else if ((error as { type?: string }).type === 'entity.parse.failed') {
    e = new HubSpotError(
      400,
      'VALIDATION_ERROR',
      `Invalid input JSON on line 1: ${(error as Error).message}`,
    );
  } else if ((error as { type?: string }).type === 'entity.too.large') {
    e = new HubSpotError(413, 'VALIDATION_ERROR', 'The request body is too large.');
  } else {
    console.error('sandbox: unhandled error', error);
    e = new HubSpotError(500, 'INTERNAL_ERROR', 'internal error');
  }
  res.status(e.status).set(e.headers).json(e.body());
};

function createSandboxApp(state: SandboxState): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      const route = req.route?.path
        ? `${req.method} ${String(req.route.path)}`
        : `${req.method} (unmatched)`;
      state.stats.count(route, res.statusCode);
      state.requestLog.push({
        at: Date.now(),
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
        portalId: (req as Partial<AuthedRequest>).grant?.portalId,
      });
      if (state.requestLog.length > 1000)
        state.requestLog.splice(0, state.requestLog.length - 1000);
    });
    next();
  });
  app.use('/_sandbox', express.json({ limit: '1mb' }));
  app.use(adminRoutes(state));
  app.use(oauthRoutes(state));
  app.use(['/crm', '/settings'], express.json({ limit: '4mb', type: () => true }), apiGate(state));
  app.use(crmRoutes(state), propertyRoutes(state), associationRoutes(state), ownerRoutes(state));
  app.use((req, _res, next) =>
    next(new HubSpotError(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`)),
  );
  app.use(hubspotErrors);
  return app;
}

/**
 * Starts an offline HubSpot on `port` (0: a free one).
 *
 * @example
 * const sandbox = await createSandbox({ rateLimits: { enabled: false } });
 * const hubspot = new Client({ accessToken, basePath: sandbox.url });
 */
export async function createSandbox(
  options: SandboxOptions & { port?: number; host?: string } = {},
): Promise<Sandbox> {
  const state = new SandboxState(options);
  const server = createServer(createSandboxApp(state));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        state.dispatcher.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

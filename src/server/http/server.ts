import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:53122 */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Listens on `port` (0 = a free one) and resolves once the socket is bound. */
export async function startServer(
  app: Express,
  options: { port: number; host: string },
): Promise<RunningServer> {
  const server: Server = createServer(app);
  // HubSpot webhook deliveries and card fetches are short; don't let idle sockets pin shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

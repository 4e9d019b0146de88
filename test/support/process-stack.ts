import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createRuntime, type Runtime } from '../../src/server/compose';
import { loadConfig } from '../../src/server/config';
import { deleteKeys, redisUrl } from './redis';

const root = path.resolve(import.meta.dirname, '../..');

/** The app as deployed, for benchmarks: the sandbox and the worker each in a process of its own. */
export interface ProcessStack {
  sandboxUrl: string;
  appUrl: string;
  portalId: number;
  /** The web role, in this process. */
  runtime: Runtime;
  env: { HUBSPOT_CLIENT_SECRET: string } & Record<string, string>;
  worker: ChildProcess;
  /** A token for the portal with every scope: edits with it play a person in HubSpot. */
  personToken: string;
  /** Another generated portal in the sandbox (not installed yet): its id and a person's token. */
  addPortal(options: {
    contacts: number;
    seed?: number;
  }): Promise<{ portalId: number; personToken: string }>;
  /** Installs the app through the OAuth redirects, in the stack's portal unless told. */
  install(portalId?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A sandbox process seeded with `contacts` (and `dormant`) contacts under HubSpot's limits
 * scaled to `burst` requests per 10 s, a worker process, and the web role here.
 */
export async function startProcessStack(options: {
  contacts: number;
  dormant?: number;
  burst: number;
  workerEnv?: Record<string, string>;
}): Promise<ProcessStack> {
  let handler: http.RequestListener = (_q, s) => void s.writeHead(503).end();
  const server = createServer((q, s) => handler(q, s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const children: ChildProcess[] = [];
  const sandbox = spawn(
    process.execPath,
    [
      '--max-old-space-size=8000',
      '--import',
      'tsx',
      'src/sandbox/cli.ts',
      '--port',
      '0',
      '--seed',
      '7',
      '--contacts',
      String(options.contacts),
      '--dormant',
      String(options.dormant ?? 0),
      '--app-url',
      appUrl,
      '--rate-burst',
      String(options.burst),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(sandbox);
  const banner = await new Promise<string>((resolve, reject) => {
    let out = '';
    sandbox.stdout!.on('data', (c) => {
      out += c;
      if (out.includes('admin:')) resolve(out);
    });
    sandbox.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const sandboxUrl = /listening at (\S+)/.exec(banner)![1]!;
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const env = {
    LOG_LEVEL: 'warn',
    PUBLIC_BASE_URL: appUrl,
    REDIS_URL: redisUrl(),
    HUBSPOT_CLIENT_ID: /HUBSPOT_CLIENT_ID=(\S+)/.exec(banner)![1]!,
    HUBSPOT_CLIENT_SECRET: /HUBSPOT_CLIENT_SECRET=(\S+)/.exec(banner)![1]!,
    HUBSPOT_APP_ID: /appId (\d+)/.exec(banner)![1]!,
    HUBSPOT_API_BASE_URL: sandboxUrl,
    HUBSPOT_AUTHORIZE_URL: `${sandboxUrl}/oauth/authorize`,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    QUEUE_PREFIX: prefix,
    HUBSPOT_BURST_LIMIT: String(options.burst),
  };
  const portalId = Number(/portal:\s+(\d+)/.exec(banner)![1]);
  const runtime = createRuntime(loadConfig(env));
  handler = runtime.app;
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--role', 'worker'],
    {
      cwd: root,
      env: { ...process.env, ...env, ...options.workerEnv },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  children.push(worker);

  return {
    sandboxUrl,
    appUrl,
    portalId,
    runtime,
    env,
    worker,
    personToken: /token:\s+(\S+)/.exec(banner)![1]!,
    async addPortal({ contacts, seed = 11 }) {
      const res = await fetch(`${sandboxUrl}/_sandbox/portals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contacts, seed }),
      });
      if (res.status !== 201) throw new Error(`adding a portal failed: ${await res.text()}`);
      const { portalId: id, accessToken } = (await res.json()) as {
        portalId: number;
        accessToken: string;
      };
      return { portalId: id, personToken: accessToken };
    },
    async install(id = portalId) {
      const start = await fetch(`${appUrl}/oauth/install`, { redirect: 'manual' });
      const authorize = new URL(start.headers.get('location')!);
      authorize.searchParams.set('portalId', String(id));
      const callback = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
      const installed = await fetch(callback);
      if (installed.status !== 200) throw new Error(`install failed: ${await installed.text()}`);
    },
    async close() {
      // A worker stopping waits for its jobs in progress: a benchmark that stops mid-backfill
      // does not wait for them.
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              const kill = setTimeout(() => c.kill('SIGKILL'), 5_000);
              c.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              c.kill('SIGTERM');
            }),
        ),
      );
      const redis = runtime.redis.duplicate();
      await runtime.close();
      server.close();
      await deleteKeys(redis, prefix);
      await redis.quit();
    },
  };
}

import { parseArgs } from 'node:util';
import { createRuntime } from './compose';
import { ConfigError, loadConfig } from './config';
import { startServer } from './http/server';

const ROLES = ['web', 'worker', 'all'] as const;
type Role = (typeof ROLES)[number];

function readRole(argv: string[]): Role {
  const { values } = parseArgs({
    args: argv,
    options: { role: { type: 'string', default: 'all' } },
  });
  const role = values.role as Role;
  if (!ROLES.includes(role))
    throw new Error(`--role must be one of ${ROLES.join(', ')} (got "${values.role}")`);
  return role;
}

/** Starts the roles asked for; resolves with a function that stops them gracefully. */
export async function main(argv: string[], env = process.env): Promise<() => Promise<void>> {
  const role = readRole(argv);
  const runtime = createRuntime(loadConfig(env));
  const stops: Array<() => Promise<unknown>> = [];
  if (role === 'web' || role === 'all') {
    const server = await startServer(runtime.app, {
      port: runtime.config.PORT,
      host: runtime.config.HOST,
    });
    runtime.logger.info({ url: server.url, role }, 'web listening');
    stops.push(server.stop);
  }
  if (role === 'worker' || role === 'all') {
    runtime.startWorker();
    runtime.logger.info({ concurrency: runtime.config.WORKER_CONCURRENCY }, 'worker started');
  }
  return async () => {
    for (const stop of stops.reverse()) await stop();
    await runtime.close();
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const stop = await main(process.argv.slice(2));
    let stopping = false;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        if (stopping) return;
        stopping = true;
        stop().then(
          () => process.exit(0),
          (error: unknown) => {
            console.error(error);
            process.exit(1);
          },
        );
      });
    }
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}

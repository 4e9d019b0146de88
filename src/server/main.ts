import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config';
import { createApp } from './http/create-app';
import { startServer } from './http/server';
import { createLogger, type Logger } from './logger';
import { createMetrics } from './metrics';
import { createWorker } from './queue/create-worker';
import { createRedis } from './redis';

const ROLES = ['web', 'worker', 'all'] as const;
type Role = (typeof ROLES)[number];

function readRole(argv: string[]): Role {
  const { values } = parseArgs({
    args: argv,
    options: { role: { type: 'string', default: 'all' } },
  });
  const role = values.role as Role;
  if (!ROLES.includes(role)) {
    throw new Error(`--role must be one of ${ROLES.join(', ')} (got "${values.role}")`);
  }
  return role;
}

/** The composition root: reads config, builds the dependencies, starts the roles asked for. */
export async function main(argv: string[], env = process.env): Promise<() => Promise<void>> {
  const role = readRole(argv);
  const config: Config = loadConfig(env);
  const logger: Logger = createLogger({ level: config.LOG_LEVEL });
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const stops: Array<() => Promise<unknown>> = [];

  if (role === 'web' || role === 'all') {
    const app = createApp({ redis, logger, metrics: createMetrics() });
    const server = await startServer(app, { port: config.PORT, host: config.HOST });
    logger.info({ url: server.url, role }, 'web listening');
    stops.push(server.stop);
  }
  if (role === 'worker' || role === 'all') {
    const worker = createWorker({
      connection: createRedis(config.REDIS_URL),
      queueName: 'jobs',
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      logger,
      catalogue: {},
      handlers: {},
    });
    logger.info({ concurrency: config.WORKER_CONCURRENCY }, 'worker started');
    stops.push(() => worker.close());
  }

  return async () => {
    for (const stop of stops.reverse()) await stop();
    await redis.quit();
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

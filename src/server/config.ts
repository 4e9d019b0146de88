import { z } from 'zod';
import { err, ok, type Result } from './domain/result';

/**
 * Every environment variable the server reads, with what it is for and how to fix it when it is
 * wrong. The zod schema and the README's configuration table are both built from this one list,
 * so they cannot drift apart (a test compares the README with `configTableMarkdown()`).
 */
interface VariableSpec {
  schema: z.ZodType;
  required: boolean;
  default?: string;
  description: string;
  /** Said when the variable is missing or invalid. */
  fix: string;
}

const url = (what: string) =>
  z.url({ protocol: /^https?$/, error: `must be an http(s) URL (${what})` });

const port = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const encryptionKey = z.string().refine((value) => decodeKey(value) !== null, {
  message: 'must be 32 bytes, written as 64 hex characters or base64',
});

export const CONFIG_VARIABLES = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']),
    required: false,
    default: 'development',
    description: 'Runtime mode.',
    fix: 'use development, test or production',
  },
  PORT: {
    schema: port,
    required: false,
    default: '3000',
    description: 'Port the web role listens on (0 picks a free one).',
    fix: 'use a port number such as 3000',
  },
  HOST: {
    schema: z.string().min(1),
    required: false,
    default: '0.0.0.0',
    description: 'Interface the web role binds to.',
    fix: 'use 0.0.0.0 for all interfaces or 127.0.0.1 for this machine only',
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    required: false,
    default: 'info',
    description: 'pino log level.',
    fix: 'use one of fatal, error, warn, info, debug, trace, silent',
  },
  PUBLIC_BASE_URL: {
    schema: url('the address HubSpot reaches this server at'),
    required: true,
    description:
      'Public URL of this backend. The OAuth redirect is `PUBLIC_BASE_URL/oauth/callback` and signatures are checked against it.',
    fix: 'set it to the https URL HubSpot calls, e.g. https://leads.example.com (it must match the redirect URL and permittedUrls.fetch in src/app/app-hsmeta.json)',
  },
  REDIS_URL: {
    schema: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
    required: true,
    description: 'Redis holding installations, models, score records and the job queues.',
    fix: 'set it to your Redis, e.g. redis://127.0.0.1:6379 (npm test and npm run demo start a private one when it is unset)',
  },
  HUBSPOT_CLIENT_ID: {
    schema: z.string().min(1),
    required: true,
    description: "The app's OAuth client id.",
    fix: "copy it from the app's Auth tab in HubSpot (Development → Projects → the app → Auth)",
  },
  HUBSPOT_CLIENT_SECRET: {
    schema: z.string().min(8, 'looks too short to be a client secret'),
    required: true,
    description:
      "The app's client secret: exchanges OAuth codes and verifies the v3 signatures of webhooks and card requests.",
    fix: "copy it from the app's Auth tab in HubSpot",
  },
  HUBSPOT_CLIENT_SECRET_PREVIOUS: {
    schema: z.string().min(8, 'looks too short to be a client secret'),
    required: false,
    description:
      'The previous client secret, accepted for signatures while a rotation is under way. Remove it once HubSpot signs with the new one.',
    fix: 'set it to the secret HubSpot showed before you rotated it, or leave it unset',
  },
  HUBSPOT_APP_ID: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .positive('must be a positive number'),
    required: true,
    description:
      "The app's numeric id: webhook events caused by this app's own writes are recognised by it and never trigger a rescore.",
    fix: 'copy the App ID from the app page in HubSpot',
  },
  HUBSPOT_API_BASE_URL: {
    schema: url('HubSpot API, or the offline sandbox'),
    required: false,
    default: 'https://api.hubapi.com',
    description: 'HubSpot API base URL. Point it at the offline sandbox for local development.',
    fix: 'use https://api.hubapi.com, or the sandbox URL that npm run sandbox prints',
  },
  HUBSPOT_AUTHORIZE_URL: {
    schema: url("HubSpot's OAuth authorize page"),
    required: false,
    default: 'https://app.hubspot.com/oauth/authorize',
    description: "Where installs are sent to approve the app's scopes.",
    fix: 'use https://app.hubspot.com/oauth/authorize, or the sandbox authorize URL',
  },
  TOKEN_ENCRYPTION_KEY: {
    schema: encryptionKey,
    required: true,
    description: 'AES-256-GCM key that encrypts refresh tokens at rest (32 bytes, hex or base64).',
    fix: "generate one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"",
  },
  ADMIN_PASSWORD: {
    schema: z.string().min(12, 'must be at least 12 characters'),
    required: false,
    description:
      'Password for the queue dashboard at /admin/queues (user `admin`). The dashboard is off when unset.',
    fix: 'choose a password of at least 12 characters, or leave it unset to turn the dashboard off',
  },
  QUEUE_PREFIX: {
    schema: z
      .string()
      .regex(/^[a-z0-9_-]+$/, 'use lower-case letters, digits, - and _ only (no colons)'),
    required: false,
    default: 'lq',
    description:
      'Prefix of every Redis key and queue this app owns, so several deployments can share one Redis.',
    fix: 'use a short name such as lq or lq-staging',
  },
  WORKER_CONCURRENCY: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(256, 'must be at most 256'),
    required: false,
    default: '32',
    description:
      "Jobs one worker process runs at once. Most of a job's time is spent waiting for HubSpot (each portal has its own rate limit, and a portal runs at most six backfill pages at once), so with fewer slots than busy portals, portals wait for slots rather than for HubSpot.",
    fix: 'use a number from 1 to 256',
  },
  HUBSPOT_BURST_LIMIT: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(10, 'must be at least 10')
      .max(10_000, 'must be at most 10000'),
    required: false,
    default: '100',
    description:
      "Requests per 10 s per portal the app allows itself: HubSpot's limit for OAuth apps is 100; raise it only for portals HubSpot gives more.",
    fix: "use HubSpot's limit for your app, 100 unless HubSpot granted more",
  },
  BACKFILL_RECENT_FIRST_CONTACTS: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(0, 'must be 0 or more'),
    required: false,
    default: '10000',
    description:
      'A backfill of a portal with at least this many contacts scores the ones active in the last 90 days first (while they are at most a quarter of the portal), then the rest in id order; 0 turns this off.',
    fix: 'use a number of contacts, e.g. 10000, or 0 to score every contact in id order',
  },
  WORKER_LOCK_MS: {
    schema: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1_000, 'must be at least 1000')
      .max(600_000, 'must be at most 600000'),
    required: false,
    default: '30000',
    description:
      "How long a worker holds a job before another may take it over: a crashed worker's job, and the contacts its rescore run had taken, are picked up after about this long (a live run renews both).",
    fix: 'use milliseconds, e.g. 30000',
  },
} as const satisfies Record<string, VariableSpec>;

type Specs = typeof CONFIG_VARIABLES;
export type ConfigVariable = keyof Specs;
export type Config = {
  [K in ConfigVariable]: Specs[K]['required'] extends true
    ? z.output<Specs[K]['schema']>
    : Specs[K] extends { default: string }
      ? z.output<Specs[K]['schema']>
      : z.output<Specs[K]['schema']> | undefined;
};

interface ConfigProblem {
  variable: ConfigVariable;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    super(formatConfigProblems(problems));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Parses every variable and reports every problem at once, not the first one only. */
export function parseConfig(
  env: Record<string, string | undefined>,
): Result<Config, ConfigProblem[]> {
  const problems: ConfigProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_VARIABLES) as [ConfigVariable, VariableSpec][]) {
    // An empty value (`FOO=` in a .env file) means unset, not the empty string.
    const given = env[name] === '' ? undefined : env[name];
    const raw = given ?? spec.default;
    if (raw === undefined) {
      if (spec.required) problems.push({ variable: name, message: `is not set: ${spec.fix}` });
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) {
      values[name] = parsed.data;
    } else {
      const why = parsed.error.issues.map((issue) => issue.message).join('; ');
      problems.push({ variable: name, message: `${why}: ${spec.fix}` });
    }
  }
  return problems.length > 0 ? err(problems) : ok(values as Config);
}

/** Reads the configuration at boot; throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new ConfigError(parsed.error);
  return parsed.value;
}

function formatConfigProblems(problems: readonly ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.variable} ${p.message}`);
  return `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
}

/** 32 raw bytes from 64 hex characters or base64, or null when it is neither. */
export function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value, 'base64');
    return bytes.length === 32 ? bytes : null;
  }
  return null;
}

/** The README's configuration table, generated from CONFIG_VARIABLES. */
export function configTableMarkdown(): string {
  const rows = (Object.entries(CONFIG_VARIABLES) as [ConfigVariable, VariableSpec][]).map(
    ([name, spec]) => {
      const need = spec.required ? 'yes' : 'no';
      const fallback = spec.default === undefined ? '' : `\`${spec.default}\``;
      return `| \`${name}\` | ${need} | ${fallback} | ${spec.description.replaceAll('|', '\\|')} |`;
    },
  );
  return ['| variable | required | default | what it is |', '|---|---|---|---|', ...rows].join(
    '\n',
  );
}

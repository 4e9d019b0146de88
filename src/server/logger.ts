import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * Paths that must never reach a log line: tokens, secrets, and contact PII. pino censors them
 * wherever a component logs an object that happens to carry them.
 */
const REDACTED_PATHS = [
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'token',
  'password',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.token',
  '*.password',
  '*.email',
  '*.firstname',
  '*.lastname',
  'req.headers.authorization',
  'req.headers.cookie',
];

interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where lines go; tests pass a stream to assert on them. Defaults to stdout. */
  destination?: DestinationStream;
}

/** The root logger; components take `logger.child({ component: 'webhooks' })`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'lead-qualifier' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    options.destination,
  );
}

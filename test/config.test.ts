import { describe, expect, it } from 'vitest';
import { normaliseMarkdown, readme } from './support/readme';
import {
  CONFIG_VARIABLES,
  ConfigError,
  configTableMarkdown,
  loadConfig,
  parseConfig,
  type ConfigVariable,
} from '../src/server/config';

const VALID = {
  PUBLIC_BASE_URL: 'https://leads.example.com',
  REDIS_URL: 'redis://127.0.0.1:6379',
  HUBSPOT_CLIENT_ID: 'client-id',
  HUBSPOT_CLIENT_SECRET: 'a-client-secret',
  HUBSPOT_APP_ID: '1234567',
  TOKEN_ENCRYPTION_KEY: 'q'.repeat(43) + '=',
};

function problems(env: Record<string, string | undefined>): Map<string, string> {
  const parsed = parseConfig(env);
  if (parsed.ok) return new Map();
  return new Map(parsed.error.map((p) => [p.variable, p.message]));
}

describe('configuration', () => {
  it('boots from the required variables alone, with documented defaults for the rest', () => {
    const config = loadConfig(VALID);
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '0.0.0.0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      HUBSPOT_APP_ID: 1234567,
      HUBSPOT_API_BASE_URL: 'https://api.hubapi.com',
      QUEUE_PREFIX: 'lq',
      WORKER_CONCURRENCY: 32,
    });
    expect(config.HUBSPOT_CLIENT_SECRET_PREVIOUS).toBeUndefined();
  });

  it('lists every missing required variable at once, each with how to fix it', () => {
    const found = problems({});
    const required = (Object.keys(CONFIG_VARIABLES) as ConfigVariable[]).filter(
      (name) => CONFIG_VARIABLES[name].required,
    );
    expect([...found.keys()].sort()).toEqual([...required].sort());
    expect(found.get('HUBSPOT_CLIENT_SECRET')).toMatch(
      /is not set: copy it from the app's Auth tab/,
    );
    expect(found.get('TOKEN_ENCRYPTION_KEY')).toMatch(/randomBytes\(32\)/);
    expect(found.get('REDIS_URL')).toMatch(/redis:\/\//);
  });

  it.each([
    ['PORT', 'eighty', /whole number/],
    ['PORT', '70000', /between 0 and 65535/],
    ['PUBLIC_BASE_URL', 'leads.example.com', /http\(s\) URL/],
    ['PUBLIC_BASE_URL', 'ftp://leads.example.com', /http\(s\) URL/],
    ['REDIS_URL', 'http://127.0.0.1:6379', /redis:\/\/ or rediss:\/\//],
    ['HUBSPOT_APP_ID', 'abc', /must be a number/],
    ['HUBSPOT_APP_ID', '-4', /positive/],
    ['HUBSPOT_CLIENT_SECRET', 'short', /too short/],
    ['TOKEN_ENCRYPTION_KEY', 'not-a-key', /32 bytes/],
    ['TOKEN_ENCRYPTION_KEY', 'ab'.repeat(31), /32 bytes/],
    ['LOG_LEVEL', 'loud', /fatal, error, warn/],
    ['NODE_ENV', 'staging', /development, test or production/],
    ['QUEUE_PREFIX', 'lq:prod', /no colons/],
    ['WORKER_CONCURRENCY', '0', /at least 1/],
    ['ADMIN_PASSWORD', 'secret', /at least 12 characters/],
  ] as const)('rejects %s=%s with a message that says what to fix', (name, value, message) => {
    const found = problems({ ...VALID, [name]: value });
    expect([...found.keys()]).toEqual([name]);
    expect(found.get(name)).toMatch(message);
  });

  it('accepts a 64-character hex encryption key and rotation secrets', () => {
    const config = loadConfig({
      ...VALID,
      TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
      HUBSPOT_CLIENT_SECRET_PREVIOUS: 'the-old-secret',
    });
    expect(config.HUBSPOT_CLIENT_SECRET_PREVIOUS).toBe('the-old-secret');
  });

  it('treats an empty value as unset, so `FOO=` in a .env file gets the default or a clear error', () => {
    expect(loadConfig({ ...VALID, PORT: '' }).PORT).toBe(3000);
    expect(problems({ ...VALID, HUBSPOT_CLIENT_ID: '' }).get('HUBSPOT_CLIENT_ID')).toMatch(
      /is not set/,
    );
  });

  it('throws one ConfigError that names every problem', () => {
    const attempt = () => loadConfig({ ...VALID, PORT: 'x', REDIS_URL: undefined });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/2 problems:\n {2}- PORT .*\n {2}- REDIS_URL is not set/);
  });

  it('documents exactly these variables in the README', () => {
    expect(normaliseMarkdown(readme())).toContain(normaliseMarkdown(configTableMarkdown()));
  });
});

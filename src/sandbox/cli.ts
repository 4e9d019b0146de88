import { parseArgs } from 'node:util';
import { createSandbox } from './create-sandbox';
import { seedPortal } from './generator';
import { projectWebhooks } from './project-webhooks';
import { ALL_SCOPES } from './sandbox-state';

const USAGE = `usage: npm run sandbox -- [--port 4010] [--seed 7] [--contacts 2000] [--dormant 0] [--app-url http://localhost:3000] [--no-rate-limits]

Starts an offline HubSpot: OAuth, CRM v3 objects and search, properties, associations v4,
signed webhooks, HubSpot's rate limits. Registers an app whose redirect URL and webhook target
are under --app-url, and a portal seeded with --contacts generated contacts, plus --dormant
contacts with nothing done for over a year (a big portal's long tail).`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '7' },
    contacts: { type: 'string', default: '2000' },
    dormant: { type: 'string', default: '0' },
    'app-url': { type: 'string', default: 'http://localhost:3000' },
    'no-rate-limits': { type: 'boolean', default: false },
    'rate-burst': { type: 'string', default: '100' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = Number(values.port);
const seed = Number(values.seed);
const contacts = Number(values.contacts);
const dormant = Number(values.dormant);
if (
  !Number.isInteger(port) ||
  !Number.isInteger(seed) ||
  !Number.isInteger(contacts) ||
  contacts < 0 ||
  contacts > 200_000 ||
  !Number.isInteger(dormant) ||
  dormant < 0 ||
  dormant > 2_000_000
) {
  console.error(
    `--port, --seed, --contacts (0 to 200000) and --dormant (0 to 2000000) must be whole numbers\n\n${USAGE}`,
  );
  process.exit(2);
}

const started = performance.now();
const sandbox = await createSandbox({
  port,
  host: values.host,
  seed,
  rateLimits: {
    enabled: !values['no-rate-limits'],
    burst: Math.max(1, Number(values['rate-burst']) || 100),
  },
});
const appUrl = values['app-url'].replace(/\/$/, '');
const app = sandbox.state.oauth.registerApp({
  redirectUri: `${appUrl}/oauth/callback`,
  scopes: ALL_SCOPES,
  webhooks: projectWebhooks(`${appUrl}/webhooks/hubspot`),
});
const portal = sandbox.state.createPortal();
const summary = seedPortal(portal, { seed, contacts, dormant });
sandbox.state.truth.set(portal.id, summary.truth);
const token = sandbox.state.oauth.portalToken(portal.id, ALL_SCOPES);

console.log(`HubSpot sandbox listening at ${sandbox.url} (ready in ${Math.round(performance.now() - started)} ms)
  app:     appId ${app.appId}  HUBSPOT_CLIENT_ID=${app.clientId}  HUBSPOT_CLIENT_SECRET=${app.clientSecret}
           redirect ${appUrl}/oauth/callback, webhooks to ${appUrl}/webhooks/hubspot
  portal:  ${portal.id}, ${summary.contacts} contacts, ${summary.companies} companies, ${summary.deals} deals
  token:   ${token}  (every scope, like a private app: edits with it play a person in HubSpot)
  install: ${sandbox.url}/oauth/authorize?client_id=${app.clientId}&redirect_uri=${encodeURIComponent(`${appUrl}/oauth/callback`)}&scope=oauth&portalId=${portal.id}
  admin:   ${sandbox.url}/_sandbox/stats`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void sandbox.close().then(() => process.exit(0)));
}

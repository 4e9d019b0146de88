import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { minimumBackfillRequests } from './minimum-requests';
import { uiWalkthrough } from './ui-walkthrough';
import { enableHandOff, playHandOff } from './handoff';
import { playScenario } from './scenario';
import { startStack } from './stack';

const USAGE = `usage: npm run demo -- [--contacts 2000] [--seed 7] [--keep-running]

Runs Lead Qualifier end to end against the offline HubSpot sandbox: installs the app through
OAuth, backfills a generated portal under HubSpot's rate limits, plays people editing contacts
in HubSpot, and prints what the app made of it.`;

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '7' },
    'keep-running': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const contacts = Number(values.contacts);
if (!Number.isInteger(contacts) || contacts < 1 || contacts > 200_000) {
  console.error(`--contacts must be a whole number from 1 to 200000\n\n${USAGE}`);
  process.exit(2);
}
const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) {
  console.error(
    'REDIS_URL is not set: run the demo with `npm run demo`, which starts a private Redis.',
  );
  process.exit(2);
}

const pct = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const pad = (s: string | number, n: number) => String(s).padEnd(n);

console.log(
  `Starting the offline HubSpot sandbox with ${contacts.toLocaleString('en-US')} generated contacts, and Lead Qualifier (web + worker)…`,
);
const stack = await startStack({
  redisUrl,
  contacts,
  seed: Number(values.seed),
  prefix: `lq-demo-${Date.now()}`,
  logLevel: (process.env['LOG_LEVEL'] as 'warn' | undefined) ?? 'silent',
});
console.log(
  `  HubSpot sandbox: ${stack.sandbox.url}   Lead Qualifier: ${stack.appUrl}   portal ${stack.portalId}`,
);

console.log('\nInstalling through OAuth (authorize → callback → token exchange)…');
const installed = await stack.install();
if (installed.status !== 200) {
  console.error(`Install failed (${installed.status}): ${installed.page}`);
  process.exit(1);
}
console.log(
  `  installed in portal ${stack.portalId}; setting up properties and backfilling under HubSpot's limit of 100 requests per 10 s`,
);

const started = Date.now();
const bar = process.stdout.isTTY
  ? new cliProgress.SingleBar(
      {
        format: '  backfill |{bar}| {value}/{total} contacts  {rate}/s  ETA {eta_formatted}',
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    )
  : null;
bar?.start(contacts, 0, { rate: 0 });
let lastLogged = -1;
for (;;) {
  const p = await stack.runtime.backfills.get(stack.portalId);
  const done = p?.done ?? 0;
  const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
  if (bar) bar.update(done, { rate });
  else if (done !== lastLogged && (done - lastLogged >= contacts / 10 || p?.status === 'done')) {
    console.log(`  backfill ${done}/${p?.total ?? contacts} contacts, ${rate}/s`);
    lastLogged = done;
  }
  if (p?.status === 'done') break;
  await new Promise((r) => setTimeout(r, 250));
}
bar?.stop();
const seconds = (Date.now() - started) / 1000;
await fetch(`${stack.sandbox.url}/_sandbox/webhooks/drain`, { method: 'POST' });
console.log(`  backfilled ${contacts.toLocaleString('en-US')} contacts in ${seconds.toFixed(1)} s`);
// The backfill ran at HubSpot's limit: its last 10 s used the whole window, and the first
// rescores would wait for it. People start once it has passed, as they would in real life.
console.log("  (waiting 10 s for HubSpot's rolling 10-s window, which the backfill filled)");
await new Promise((r) => setTimeout(r, 10_000));

console.log('\nThe hand-off to sales (Settings → Hand-off to sales):');
await enableHandOff(stack, (line) => console.log(line));

console.log('\nPeople working in HubSpot; each change reaches Lead Qualifier as a signed webhook:');
const steps = await playScenario(stack, (line) => console.log(line));
await uiWalkthrough(stack, (line) => console.log(line));

console.log('\nSales works the leads it was handed in HubSpot; its answer comes back:');
await playHandOff(stack, (line) => console.log(line));

// Summary
const portal = stack.sandbox.state.portal(stack.portalId);
const all = [...portal.all('contacts')];
const statuses = ['sql', 'ready', 'mql', 'lead', 'recycled', 'disqualified', 'unscored'];
const grades = ['A', 'B', 'C', 'D'];
console.log('\nContacts by status and grade:');
console.log(`  ${pad('status', 14)}${grades.map((g) => pad(g, 7)).join('')}total`);
for (const s of statuses) {
  const row = grades.map(
    (g) =>
      all.filter((c) => c.properties['lq_status'] === s && c.properties['lq_grade'] === g).length,
  );
  const total = row.reduce((a, b) => a + b, 0);
  if (total > 0) console.log(`  ${pad(s, 14)}${row.map((n) => pad(n, 7)).join('')}${total}`);
}
const reasons = new Map<string, number>();
for (const c of all)
  for (const r of (c.properties['lq_top_reasons'] ?? '').split('; ')) {
    const label = r.replace(/\s*\([^)]*\)$/, '');
    if (label) reasons.set(label, (reasons.get(label) ?? 0) + 1);
  }
console.log('\nMost common top reasons:');
for (const [label, n] of [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 6))
  console.log(`  ${pad(n, 7)}${label}`);

const used = (await stack.runtime.metrics.hubspotRequests.get()).values.reduce(
  (n, v) => n + v.value,
  0,
);
const minimum = minimumBackfillRequests(portal);
const latencies = steps.map((s) => s.latencyMs).filter((l): l is number => l !== null);
console.log('\nHubSpot usage and freshness:');
console.log(
  `  requests used: ${used} (backfill minimum with HubSpot's batch sizes: ${minimum}; the rest are the webhook rescores)`,
);
const waited = (await stack.runtime.metrics.rateLimitWaitSeconds.get()).values.reduce(
  (n, v) => n + v.value,
  0,
);
console.log(
  `  429s from HubSpot: ${stack.sandbox.state.limiter.limited} (requests waited ${waited.toFixed(1)} s in all for a free slot of the portal's 100-per-10-s limit instead)`,
);
console.log(
  `  change in HubSpot → properties written: p50 ${pct(latencies, 50)} ms, p95 ${pct(latencies, 95)} ms over ${latencies.length} changes`,
);

if (values['keep-running']) {
  console.log(`\nStill running (Ctrl-C to stop):
  Lead Qualifier   ${stack.appUrl}   (/healthz, /readyz, /metrics, /oauth/install)
  HubSpot sandbox  ${stack.sandbox.url}   (/_sandbox/stats)
  person token     ${stack.personToken}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => void stack.close().then(() => process.exit(0)));
} else {
  await stack.close();
  console.log('\nDone.');
  process.exit(0);
}

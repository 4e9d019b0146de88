// npm run bench: backfills side by side. One portal alone, then ten installed at once, under
// HubSpot's real limits (100 requests per 10 s, per portal): each portal's backfill time
// against its own rate-limit bound. Ten portals have ten budgets, so side by side each should
// take as long as one alone. Prints figures; fails only if the run itself breaks.
import { randomBytes } from 'node:crypto';
import { minimumBackfillRequests } from '../../src/demo/minimum-requests';
import { startStack, type Stack } from '../../src/demo/stack';
import { deleteKeys, redisUrl } from '../support/redis';

const CONTACTS = Number(process.env['BENCH_SIDE_CONTACTS'] ?? 5_000);
const PORTALS = 10;
/** HubSpot's limit: 100 requests per 10 s per portal (the app's window is a little longer). */
const LIMIT = 100;
const WINDOW_MS = 10_000;

async function backfill(stack: Stack, portalId: number, start: number): Promise<number> {
  for (;;) {
    const p = await stack.runtime.backfills.get(portalId);
    if (p?.status === 'done') return p.finishedAt - start;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const prefix = `bench-${randomBytes(3).toString('hex')}`;
const stack = await startStack({
  redisUrl: redisUrl(),
  prefix,
  contacts: CONTACTS,
  ...(process.env['BENCH_SIDE_CONCURRENCY']
    ? { concurrency: Number(process.env['BENCH_SIDE_CONCURRENCY']) }
    : {}),
});
/** The fastest HubSpot allows: a window's worth at once, then the next a window later, … */
const bound = (portalId: number) =>
  (Math.ceil(minimumBackfillRequests(stack.sandbox.state.portal(portalId)) / LIMIT) - 1) *
  WINDOW_MS;

const aloneBound = bound(stack.portalId);
let t = Date.now();
await stack.install();
const alone = await backfill(stack, stack.portalId, t);
// Let the portal's requests leave HubSpot's window before the next ones are measured.
await new Promise((r) => setTimeout(r, 11_000));

const others = Array.from({ length: PORTALS }, (_, i) =>
  stack.addPortal({ contacts: CONTACTS, seed: 11 + i }),
);
const bounds = others.map(bound);
t = Date.now();
await Promise.all(others.map((id) => stack.install(id)));
const times = await Promise.all(others.map((id) => backfill(stack, id, t)));
const ratios = times.map((ms, i) => ms / bounds[i]!);
const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
const worst = Math.max(...ratios);

console.log(
  `backfill of ${CONTACTS.toLocaleString('en-US')} contacts under HubSpot's real limits, one web and worker process:`,
);
console.log(
  `  one portal alone: ${(alone / 1000).toFixed(1)} s = ${(alone / aloneBound).toFixed(2)}× its rate-limit bound`,
);
console.log(
  `  ${PORTALS} portals installed at once: ${times.map((ms) => (ms / 1000).toFixed(0)).join(', ')} s; mean ${mean.toFixed(2)}×, worst ${worst.toFixed(2)}× the bound; side by side / alone ${(mean / (alone / aloneBound)).toFixed(2)}  target: <= 1.10  ${mean / (alone / aloneBound) <= 1.1 ? 'MET' : 'NOT MET'}`,
);

const redis = stack.runtime.redis.duplicate();
await stack.close();
await deleteKeys(redis, prefix);
await redis.quit();
process.exit(0);

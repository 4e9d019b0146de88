// npm run bench: Redis bytes per scored contact, at 2k, 10k and 50k contacts, at rest after the
// backfill and again after rounds of changes (what grows with time). Prints figures; fails only
// if the run itself breaks.
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from '@hubspot/api-client';
import { startStack, type Stack } from '../../src/demo/stack';
import { QUEUE_NAME } from '../../src/server/queue/producer';
import { redisBytes, type KindBytes } from '../support/redis-bytes';
import { deleteKeys, redisUrl } from '../support/redis';

const SIZES = (process.env['BENCH_MEMORY_CONTACTS'] ?? '2000,10000,50000').split(',').map(Number);
/** 10× HubSpot's 100 per 10 s, as the backfill benchmark. */
const BURST = 1000;
const ROUNDS = Number(process.env['BENCH_MEMORY_ROUNDS'] ?? 4);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function settled(stack: Stack, queue: Queue): Promise<void> {
  while ((await stack.runtime.backfills.get(stack.portalId))?.status !== 'done')
    await new Promise((r) => setTimeout(r, 500));
  for (let quiet = 0; quiet < 3;) {
    const c = await queue.getJobCounts('active', 'waiting', 'prioritized', 'waiting-children');
    quiet = Object.values(c).every((n) => n === 0) ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function table(rows: KindBytes[], contacts: number): string {
  const total = rows.reduce((n, r) => n + r.bytes, 0);
  const lines = rows
    .filter((r) => r.bytes / contacts >= 1)
    .map(
      (r) =>
        `    ${r.kind.padEnd(28)} ${fmt(r.keys).padStart(7)} keys ${(r.bytes / contacts).toFixed(0).padStart(6)} B/contact`,
    );
  return [
    ...lines,
    `    ${'total'.padEnd(41)} ${(total / contacts).toFixed(0).padStart(6)} B/contact`,
  ].join('\n');
}
const perContact = (rows: KindBytes[], contacts: number) =>
  rows.reduce((n, r) => n + r.bytes, 0) / contacts;

const results: { contacts: number; atRest: number; after: number[] }[] = [];
for (const contacts of SIZES) {
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const stack = await startStack({
    redisUrl: redisUrl(),
    prefix,
    contacts,
    rateLimits: { burst: BURST, searchPerSecond: 50 },
  });
  const queue = new Queue(QUEUE_NAME, { connection: stack.runtime.redis.duplicate(), prefix });
  const t0 = Date.now();
  await stack.install();
  await settled(stack, queue);
  const redis = stack.runtime.redis.duplicate();
  const atRest = await redisBytes(redis, prefix);
  console.log(
    `${fmt(contacts)} contacts, backfilled in ${((Date.now() - t0) / 1000).toFixed(0)} s, at rest:`,
  );
  console.log(table(atRest, contacts));

  // Time passing: rounds in which the same fifth of the contacts change (a page view each),
  // each change a webhook, a rescore and a write-back, as in a working portal.
  const portal = stack.sandbox.state.portal(stack.portalId);
  const person = new Client({ accessToken: stack.personToken, basePath: stack.sandbox.url });
  const ids = [...portal.all('contacts')].map((c) => c.id);
  const after: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const changed = ids.filter((_, i) => i % 5 === 0);
    for (let i = 0; i < changed.length; i += 100) {
      await person.crm.contacts.batchApi.update({
        inputs: changed.slice(i, i + 100).map((id) => ({
          id,
          properties: {
            hs_analytics_num_page_views: String(
              Number(portal.get('contacts', id)!.properties['hs_analytics_num_page_views'] ?? 0) +
                1,
            ),
            hs_analytics_last_visit_timestamp: new Date().toISOString(),
          },
        })),
      });
    }
    await new Promise((r) => setTimeout(r, 3000));
    await settled(stack, queue);
    const rows = await redisBytes(redis, prefix);
    after.push(perContact(rows, contacts));
    console.log(`  after round ${round} (${fmt(changed.length)} contacts changed):`);
    console.log(table(rows, contacts));
  }
  results.push({ contacts, atRest: perContact(atRest, contacts), after });

  await queue.close();
  await stack.close();
  await deleteKeys(redis, prefix);
  await redis.quit();
}

console.log(
  '\nRedis bytes per scored contact (MEMORY USAGE of every key of the app and its queue)',
);
for (const r of results) {
  const last = r.after.at(-1)!;
  console.log(
    `  ${fmt(r.contacts).padStart(6)} contacts: ${fmt(r.atRest)} B at rest, ${r.after.map(fmt).join(' → ')} B after ${ROUNDS} rounds of changes (growth ${(last / r.atRest).toFixed(2)}×)  target: <= 2,048 B  ${last <= 2048 ? 'MET' : 'NOT MET'}`,
  );
}
process.exit(0);

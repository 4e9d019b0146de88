// npm run bench: the card API's latency at 50 concurrent requests, as HubSpot's proxy sends
// them (signed v3, with its query parameters), against the real backend, Redis and sandbox.
// Baseline in the same run: the same server's /healthz (no signature, no Redis) at the same
// concurrency, from the same load thread.
import { Worker } from 'node:worker_threads';
import { backfillDone, testStack } from '../support/stack';
import { BACKEND_URL } from '../support/ui';

const CONCURRENCY = 50;
const REQUESTS = Number(process.env['BENCH_CARD_REQUESTS'] ?? 5_000);
const TARGET_P95_MS = 50;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(9);
type Run = { latencies: number[]; seconds: number };

const stack = await testStack('bench-card', { contacts: 2_000, rateLimits: { burst: 2_000 } });
try {
  await stack.install();
  await backfillDone(stack, 180_000);
  // Let the write-back's webhooks land first: from here only the web role works.
  await fetch(`${stack.sandbox.url}/_sandbox/webhooks/drain`, { method: 'POST' });
  await new Promise((r) => setTimeout(r, 1_000));
  const ids = [...stack.seeded!.truth.keys()];
  const options = {
    appId: stack.app.appId,
    clientSecret: stack.app.clientSecret,
    portalId: stack.portalId,
    userId: 1,
    userEmail: 'rep@example.com',
    permittedUrls: [BACKEND_URL],
    proxy: { [BACKEND_URL]: stack.appUrl },
  };
  // A TypeScript worker: tsx registers its loader in the thread, then loads the file.
  const file = new URL('./card-load.worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file)}); })`,
    { eval: true, workerData: { options, concurrency: CONCURRENCY, requests: REQUESTS } },
  );
  const ask = (kind: 'card' | 'baseline', urls: string[]) =>
    new Promise<Run>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage({ kind, urls });
    });
  const cardUrls = ids.map((id) => `${BACKEND_URL}/api/card/contacts/${id}`);
  const line = (name: string, r: Run) =>
    `  ${name.padEnd(28)} p50 ${ms(pct(r.latencies, 50))}  p95 ${ms(pct(r.latencies, 95))}  p99 ${ms(pct(r.latencies, 99))}  ${Math.round(r.latencies.length / r.seconds)} req/s`;

  // Warm-up (JIT, keep-alive sockets, installation cache), then the measured runs.
  await ask('card', cardUrls);
  const baseline = await ask('baseline', [`${stack.appUrl}/healthz`]);
  const card = await ask('card', cardUrls);
  await worker.terminate();

  const p95 = pct(card.latencies, 95);
  const baseP95 = pct(baseline.latencies, 95);
  console.log(
    `card API: ${REQUESTS} requests, ${CONCURRENCY} in flight, signed as HubSpot signs them, ${ids.length} scored contacts`,
  );
  console.log(line('GET /api/card/contacts/:id', card));
  console.log(line('baseline GET /healthz', baseline));
  console.log(
    `  card p95 / baseline p95: ${(p95 / baseP95).toFixed(2)}x; target p95 <= ${TARGET_P95_MS} ms: ${p95 <= TARGET_P95_MS ? 'met' : 'NOT met'}`,
  );
} finally {
  await stack.close();
}
process.exit(0);

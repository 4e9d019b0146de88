// The load generator of card-api.bench.ts, in its own thread: HubSpot's proxy is another
// machine, so signing and sending must not run on the event loop being measured.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createUiFetch, type UiFetchOptions } from '../../src/sandbox/ui-fetch';
import { backendAnswer } from '../support/ui';

const { options, concurrency, requests } = workerData as {
  options: UiFetchOptions;
  concurrency: number;
  requests: number;
};
const hsFetch = createUiFetch({ ...options, maxConcurrent: concurrency }).fetch;
const direct = (url: string) => fetch(url);

async function run(call: (url: string) => Promise<Response>, urls: string[]) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const url = urls[next++ % urls.length]!;
        const t = performance.now();
        const res = await backendAnswer(await call(url));
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

parentPort!.on('message', async ({ kind, urls }: { kind: 'card' | 'baseline'; urls: string[] }) => {
  const result = await run(kind === 'card' ? hsFetch : direct, urls);
  parentPort!.postMessage(result);
});

// npm run bench: the sandbox must never be what bounds our benchmarks.
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { Client } from '@hubspot/api-client';
import { Portal } from '../../src/sandbox/portal';
import { seedPortal } from '../../src/sandbox/generator';

const root = path.resolve(import.meta.dirname, '../..');

// The generator, in this process.
const portal = new Portal(90_000_001, { clock: Date.now, onChange: () => {} });
const t = performance.now();
const seeded = seedPortal(portal, { seed: 7, contacts: 100_000 });
const seedSeconds = (performance.now() - t) / 1000;
const objects =
  seeded.contacts +
  seeded.companies +
  seeded.deals +
  Object.values(seeded.engagements).reduce((a, b) => a + b, 0);
console.log(
  `generator: 100,000 contacts (${objects.toLocaleString('en-US')} objects in all) in ${seedSeconds.toFixed(1)} s  target: < 60 s  ${seedSeconds < 60 ? 'MET' : 'NOT MET'}`,
);

// The sandbox in its own process, as HubSpot is remote to the app.
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    'src/sandbox/cli.ts',
    '--port',
    '0',
    '--contacts',
    '5000',
    '--no-rate-limits',
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const banner = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (c) => {
    out += c;
    if (out.includes('admin:')) resolve(out);
  });
  child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
});
const url = /listening at (\S+)/.exec(banner)![1]!;
const token = /token:\s+(\S+)/.exec(banner)![1]!;
const client = new Client({ accessToken: token, basePath: url });
const ids = (await client.crm.contacts.basicApi.getPage(100)).results.map((r) => r.id);

async function readsPerSecond(
  seconds: number,
  concurrency: number,
  read: (id: string) => Promise<unknown>,
): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; performance.now() < end; i += concurrency, n++)
        await read(ids[i % ids.length]!);
    }),
  );
  return n / seconds;
}

// node:http with a keep-alive agent: the lightest client, so the figure is the sandbox's.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const rawRead = (id: string) =>
  new Promise<unknown>((resolve, reject) => {
    const req = http.get(
      `${url}/crm/v3/objects/contacts/${id}?properties=email,jobtitle,lifecyclestage`,
      { agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(body))
            : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
  });
const sdkRead = (id: string) =>
  client.crm.contacts.basicApi.getById(id, ['email', 'jobtitle', 'lifecyclestage']);
await readsPerSecond(1, 16, rawRead);
const rawRate = await readsPerSecond(4, 16, rawRead);
const sdkRate = await readsPerSecond(4, 16, sdkRead);
console.log(
  `sandbox (own process): ${Math.round(rawRate).toLocaleString('en-US')} contact reads/s over keep-alive HTTP, 16 concurrent, rate limits off  target: >= 2,000  ${rawRate >= 2000 ? 'MET' : 'NOT MET'}`,
);
console.log(
  `  the same reads through @hubspot/api-client: ${Math.round(sdkRate).toLocaleString('en-US')}/s (client-side cost included)`,
);
agent.destroy();
child.kill('SIGTERM');

// npm run bench: the scoring CLI streams. Its peak memory on 1M lines stays what it is on 100k.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { daysAgo } from '../support/personas';

const root = path.resolve(import.meta.dirname, '../..');

function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

function compactContact(i: number) {
  return {
    contact: {
      id: String(i),
      properties: {
        email: `p${i}@acme${i % 40}.io`,
        jobtitle: ['VP Sales', 'Marketing Manager', 'Student', 'Director of Ops'][i % 4],
        recent_conversion_event_name: i % 3 ? 'Demo request' : 'Ebook',
        recent_conversion_date: daysAgo(i % 30),
        hs_analytics_num_page_views: String(i % 25),
        hs_analytics_last_visit_timestamp: daysAgo(i % 10),
      },
    },
    company: {
      id: `c${i % 40}`,
      properties: { industry: 'COMPUTER_SOFTWARE', numberofemployees: String(20 + (i % 500)) },
    },
    engagements: {
      meetings: [
        {
          id: `m${i}`,
          properties: { hs_meeting_outcome: 'COMPLETED', hs_meeting_start_time: daysAgo(i % 20) },
        },
      ],
      emails: [
        {
          id: `e${i}`,
          properties: {
            hs_email_direction: 'INCOMING_EMAIL',
            hs_email_subject: 'Re: demo',
            hs_timestamp: daysAgo(i % 15),
          },
        },
      ],
    },
  };
}

async function run(lines: number): Promise<{ peakMb: number; seconds: number; out: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/cli/score.ts', '--now', '2026-01-31T00:00:00Z'],
    {
      cwd: root,
      stdio: ['pipe', 'pipe', 'ignore'],
    },
  );
  let peakMb = 0;
  const timer = setInterval(() => (peakMb = Math.max(peakMb, peakRssMb(child.pid!))), 100);
  // Compact contacts (a form fill, a meeting, a reply): the point is memory over many lines.
  const templates = Array.from({ length: 500 }, (_, i) => `${JSON.stringify(compactContact(i))}\n`);
  const start = process.hrtime.bigint();
  Readable.from(
    (function* () {
      for (let i = 0; i < lines; i++) yield templates[i % templates.length]!;
    })(),
  ).pipe(child.stdin);
  let out = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    for (const byte of chunk) if (byte === 10) out++;
  });
  await new Promise<void>((resolve) => child.on('close', () => resolve()));
  clearInterval(timer);
  return { peakMb, seconds: Number(process.hrtime.bigint() - start) / 1e9, out };
}

const small = await run(100_000);
const large = await run(1_000_000);
for (const [n, r] of [
  [100_000, small],
  [1_000_000, large],
] as const) {
  console.log(
    `score CLI, ${n.toLocaleString('en-US')} lines: ${r.out.toLocaleString('en-US')} out, ${Math.round(n / r.seconds).toLocaleString('en-US')} lines/s, peak RSS ${r.peakMb.toFixed(0)} MB`,
  );
}
const ratio = large.peakMb / small.peakMb;
console.log(
  `peak memory, 1M lines vs 100k: ${ratio.toFixed(2)}x  (flat means about 1.0)  ${ratio < 1.25 ? 'FLAT' : 'GROWS'}`,
);
if (large.out !== 1_000_000) throw new Error(`expected 1,000,000 output lines, got ${large.out}`);

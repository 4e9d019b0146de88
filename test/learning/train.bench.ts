// npm run bench: training on 100,000 generated contacts (one core), and its peak memory.
import { performance } from 'node:perf_hooks';
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { parseLabelledLine } from '../../src/server/learning/labelled-line';
import type { LabelledRow } from '../../src/server/learning/features';
import { train } from '../../src/server/learning/train';
import { seedPortal } from '../../src/sandbox/generator';
import { labelledLines } from '../../src/sandbox/labelled-export';
import { Portal } from '../../src/sandbox/portal';

const CONTACTS = Number(process.env['BENCH_TRAIN_CONTACTS'] ?? 100_000);
const TARGET_S = 30;
const AT = Date.parse('2026-06-30T00:00:00Z');

const portal = new Portal(1, { clock: () => AT, onChange: () => {} });
const seeded = seedPortal(portal, { seed: 11, contacts: CONTACTS });
const rows: LabelledRow[] = [];
for (const line of labelledLines(portal, seeded.truth, AT)) {
  const parsed = parseLabelledLine(line);
  if (parsed.ok) rows.push(parsed.row);
}
globalThis.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const { model, report } = train(rows, DEFAULT_MODEL);
const seconds = (performance.now() - started) / 1000;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

console.log(
  `training: ${rows.length.toLocaleString('en-US')} labelled contacts (${report.positives.toLocaleString('en-US')} conversions) from ${CONTACTS.toLocaleString('en-US')} generated`,
);
console.log(
  `  time ${seconds.toFixed(1)} s (two fits: the backtest's on the older ${report.backtest.train.rows.toLocaleString('en-US')}, the model's on all; ${report.fit.iterations} Newton iterations), target < ${TARGET_S} s: ${seconds < TARGET_S ? 'met' : 'NOT met'}`,
);
console.log(
  `  peak RSS ${mb(process.resourceUsage().maxRSS * 1024)} for the whole process (the generated portal included); heap held by the rows before training ${mb(heapBefore)}`,
);
console.log(
  `  backtest AUC ${report.backtest.proposed.auc} vs the default model's ${report.backtest.active.auc}; top-decile lift ${report.backtest.proposed.topDecileLift} vs ${report.backtest.active.topDecileLift}; ${model.fit.rules.length} fit rules`,
);

// Hundreds of properties, two of which matter: feature selection must keep it readable and fast.
const WIDE_PROPERTIES = Number(process.env['BENCH_TRAIN_WIDE_PROPERTIES'] ?? 200);
{
  let seed = 7;
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const wide: LabelledRow[] = [];
  for (let i = 0; i < CONTACTS; i++) {
    const visits = Math.floor(random() * 20);
    const role = random() < 0.3 ? 'Working Professional' : random() < 0.5 ? 'Student' : 'Other';
    const logit = -2 + 0.18 * visits + (role === 'Working Professional' ? 2 : 0);
    const properties: Record<string, string> = {
      createdate: new Date(AT - (CONTACTS - i) * 60_000).toISOString(),
      visits: String(visits),
      occupation: role,
    };
    for (let k = 0; k < WIDE_PROPERTIES; k++)
      properties[`noise_${k}`] =
        k % 2 ? String(Math.floor(random() * 5)) : `v${Math.floor(random() * 6)}`;
    wide.push({
      label: random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0,
      at: AT - (CONTACTS - i) * 60_000,
      facts: {
        contact: { id: String(i + 1), properties },
        company: null,
        engagements: { calls: [], emails: [], meetings: [], notes: [], tasks: [] },
      },
    });
  }
  const began = performance.now();
  const trained = train(wide, DEFAULT_MODEL);
  const took = (performance.now() - began) / 1000;
  const used = new Set(trained.model.fit.rules.map((r) => r.anyOf[0]!.property));
  console.log(
    `training on ${CONTACTS.toLocaleString('en-US')} contacts × ${WIDE_PROPERTIES + 2} properties (2 matter): ${took.toFixed(1)} s, target < ${TARGET_S} s: ${took < TARGET_S ? 'met' : 'NOT met'}; ${trained.model.fit.rules.length} rules on ${used.size} properties (${[...used].filter((p) => p.startsWith('noise_')).length} of them noise); backtest AUC ${trained.report.backtest.proposed.auc}`,
  );
}

// npm run bench: contacts scored per second on one core, and the ratio to a baseline.
//
// The worker qualifies contacts a page of up to 100 at a time, right after loading their facts,
// so the headline figure cycles through 100 distinct contacts; a second figure cycles through
// 2,000 (about 17 MB of facts on the heap) for the cold case. The host's speed drifts during a
// run, so baseline and model alternate in short rounds and the figures are medians: of each
// side's rates, and of the ratios of round pairs.
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { qualify, type QualifyOptions } from '../../src/server/domain/qualify';
import { NOW } from '../support/personas';
import { typicalContact } from '../support/typical-contact';

const BATCH = 100;
const COLD = 2_000;
const ROUNDS = 15;
const ROUND_SECONDS = 0.3;

const batch = Array.from({ length: BATCH }, (_, i) => typicalContact(i));
const cold = Array.from({ length: COLD }, (_, i) => typicalContact(i));
const sample = qualify(batch[0]!, DEFAULT_MODEL, NOW);
let sink = 0;

/** Contacts per second over one round of about `ROUND_SECONDS`. */
function round(contacts: typeof batch, options: QualifyOptions): number {
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(ROUND_SECONDS * 1e9));
  while (process.hrtime.bigint() - start < budget) {
    for (let k = 0; k < 200; k++, n++)
      sink += qualify(contacts[n % contacts.length]!, DEFAULT_MODEL, NOW, options).score;
  }
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')} contacts/s`;

// Baseline: the straightforward approach, interpreting the model for every contact (compiling
// its rules, lists and thresholds each call) instead of once per model version.
const BASELINE: QualifyOptions = { cache: false };
const COMPILED: QualifyOptions = {};

for (let i = 0; i < 20_000; i++) sink += qualify(batch[i % BATCH]!, DEFAULT_MODEL, NOW).score;
for (let i = 0; i < 2_000; i++)
  sink += qualify(batch[i % BATCH]!, DEFAULT_MODEL, NOW, BASELINE).score;

const baseline: number[] = [];
const compiled: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const b = round(batch, BASELINE);
  const c = round(batch, COMPILED);
  baseline.push(b);
  compiled.push(c);
  ratios.push(c / b);
}
const coldRates = Array.from({ length: 5 }, () => round(cold, COMPILED));
if (sink < 0) console.log(sink);

const headline = median(compiled);
console.log(
  `typical contact: ${Object.keys(batch[0]!.contact.properties).length} properties, 40 engagements, ${sample.ledger.length} ledger entries`,
);
console.log(`baseline (model interpreted per contact): ${perSecond(median(baseline))}`);
console.log(`qualify (model compiled once):            ${perSecond(headline)}`);
console.log(
  `  rounds of ${ROUND_SECONDS} s, lowest to highest: ${perSecond(Math.min(...compiled))} to ${perSecond(Math.max(...compiled))}`,
);
console.log(
  `qualify over ${COLD.toLocaleString('en-US')} distinct contacts (cold caches): ${perSecond(median(coldRates))}`,
);
console.log(
  `ratio to baseline: ${median(ratios).toFixed(2)}x   target: >= 100,000 contacts/s  ${headline >= 100_000 ? 'MET' : 'NOT MET'}`,
);

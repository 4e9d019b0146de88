// npm run bench: contacts scored per second on one core, and the ratio to a baseline.
import { DEFAULT_MODEL } from '../../src/server/domain/default-model';
import { qualify, type QualifyOptions } from '../../src/server/domain/qualify';
import { NOW } from '../support/personas';
import { typicalContact } from '../support/typical-contact';

const contacts = Array.from({ length: 2_000 }, (_, i) => typicalContact(i));
const sample = qualify(contacts[0]!, DEFAULT_MODEL, NOW);

/** Contacts per second over about `seconds`, after a warm-up. */
function measure(options: QualifyOptions, seconds: number): number {
  let sink = 0;
  for (let i = 0; i < 5_000; i++)
    sink += qualify(contacts[i % contacts.length]!, DEFAULT_MODEL, NOW, options).score;
  let n = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < budget) {
    for (let k = 0; k < 500; k++, n++)
      sink += qualify(contacts[n % contacts.length]!, DEFAULT_MODEL, NOW, options).score;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink < 0) console.log(sink);
  return n / elapsed;
}

// Baseline: the straightforward approach, interpreting the model for every contact (compiling
// its rules, lists and thresholds each call) instead of once per model version.
const baseline = measure({ cache: false }, 3);
const compiled = measure({}, 3);

console.log(
  `typical contact: ${Object.keys(contacts[0]!.contact.properties).length} properties, 40 engagements, ${sample.ledger.length} ledger entries`,
);
console.log(
  `baseline (model interpreted per contact): ${Math.round(baseline).toLocaleString('en-US')} contacts/s`,
);
console.log(
  `qualify (model compiled once):            ${Math.round(compiled).toLocaleString('en-US')} contacts/s`,
);
console.log(
  `ratio to baseline: ${(compiled / baseline).toFixed(2)}x   target: >= 100,000 contacts/s  ${compiled >= 100_000 ? 'MET' : 'NOT MET'}`,
);

import { accessSync, constants, createReadStream, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseLabelledLine } from '../learning/labelled-line';
import type { LabelledRow } from '../learning/features';
import {
  DEFAULT_TRAIN_OPTIONS,
  NotEnoughDataError,
  TrainingFailedError,
  train,
} from '../learning/train';
import { fail, loadModel, quietOnClosedPipe, readCommand } from './common';
import { readLines } from './score-stream';

const USAGE = `usage: npm run --silent train -- --input labelled.jsonl [--model base.json] --out model.json [--target-mql-share 0.2]

Each input line: a scoring input line ({"contact", "company", "engagements"}) plus "label": 1 | 0
(converted or not) and "at": the ISO time of the snapshot. --input - reads standard input.
Writes the trained model (same schema as the base model) to --out and prints the report as JSON:
features, MQL threshold, and a time-split backtest of the trained model against the base one
(AUC, top-decile lift, conversions captured by MQL, share flagged, calibration per grade).
Blank lines are skipped; a UTF-8 byte-order mark is ignored; a contact id given twice stops it.
Exit code: 0 trained, 1 refused (too little data, nothing to learn from, or a fit that did not
converge; the message says what), 2 when the command, the model or the input is wrong.`;

const args = readCommand(
  {
    input: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
    'target-mql-share': { type: 'string' },
  },
  USAGE,
);
if (!args.input || !args.out) fail(`--input and --out are required.\n${USAGE}`);
const share = args['target-mql-share'] === undefined ? 0.2 : Number(args['target-mql-share']);
if (!(share > 0 && share < 1))
  fail('--target-mql-share must be a number between 0 and 1, e.g. 0.2');
const base = loadModel(args.model);
// Checked now, not after the whole training: where the model goes must be writable.
try {
  const out = path.resolve(args.out);
  accessSync(existsSync(out) ? out : path.dirname(out), constants.W_OK);
} catch (error) {
  fail(`cannot write the model to ${args.out}: ${(error as Error).message}`);
}
quietOnClosedPipe();

const rows: LabelledRow[] = [];
const bad: string[] = [];
const lineOf = new Map<string, number>();
let n = 0;
const input = args.input === '-' ? process.stdin : createReadStream(args.input);
input.on('error', (error: Error) => fail(`cannot read ${args.input}: ${error.message}`));
for await (const line of readLines(input)) {
  n++;
  if (line.trim() === '') continue;
  const parsed = parseLabelledLine(line);
  if (!parsed.ok) bad.push(`line ${n}: ${parsed.error}`);
  else {
    const id = parsed.row.facts.contact.id;
    const first = lineOf.get(id);
    if (first !== undefined)
      bad.push(`line ${n}: contact.id: ${id} is already on line ${first} (one line per contact)`);
    else {
      lineOf.set(id, n);
      rows.push(parsed.row);
    }
  }
}
if (bad.length > 0)
  fail(
    `${bad.length} line${bad.length === 1 ? ' is' : 's are'} not valid; nothing was trained:\n${bad
      .slice(0, 20)
      .map((b) => `  - ${b}`)
      .join('\n')}${bad.length > 20 ? `\n  … and ${bad.length - 20} more` : ''}`,
  );

try {
  const { model, report } = train(rows, base, { ...DEFAULT_TRAIN_OPTIONS, targetMqlShare: share });
  writeFileSync(args.out, `${JSON.stringify(model, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ ...report, model: args.out }, null, 2)}\n`);
} catch (error) {
  if (!(error instanceof NotEnoughDataError) && !(error instanceof TrainingFailedError))
    throw error;
  process.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}

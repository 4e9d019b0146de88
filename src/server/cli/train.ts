import { createReadStream, writeFileSync } from 'node:fs';
import { parseLabelledLine } from '../learning/labelled-line';
import type { LabelledRow } from '../learning/features';
import { DEFAULT_TRAIN_OPTIONS, NotEnoughDataError, train } from '../learning/train';
import { fail, loadModel, readCommand } from './common';
import { readLines } from './score-stream';

const USAGE = `usage: npm run --silent train -- --input labelled.jsonl [--model base.json] --out model.json [--target-mql-share 0.2]

Each input line: a scoring input line ({"contact", "company", "engagements"}) plus "label": 1 | 0
(converted or not) and "at": the ISO time of the snapshot. --input - reads standard input.
Writes the trained model (same schema as the base model) to --out and prints the report as JSON:
features, MQL threshold, and a time-split backtest of the trained model against the base one
(AUC, top-decile lift, conversions captured by MQL, share flagged, calibration per grade).
Exit code: 0 trained, 1 refused (too little data; the message says how much more is needed),
2 when the command, the model or the input is wrong.`;

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

const rows: LabelledRow[] = [];
const bad: string[] = [];
let n = 0;
const input = args.input === '-' ? process.stdin : createReadStream(args.input);
input.on('error', (error: Error) => fail(`cannot read ${args.input}: ${error.message}`));
for await (const line of readLines(input)) {
  n++;
  if (line.trim() === '') continue;
  const parsed = parseLabelledLine(line);
  if (parsed.ok) rows.push(parsed.row);
  else bad.push(`line ${n}: ${parsed.error}`);
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
  if (!(error instanceof NotEnoughDataError)) throw error;
  process.stdout.write(`${JSON.stringify({ error: error.message })}\n`);
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}

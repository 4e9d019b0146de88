import { parseIsoTime } from '../domain/values';
import { fail, loadModel, quietOnClosedPipe, readCommand } from './common';
import { scoreStream } from './score-stream';

const USAGE = `usage: npm run --silent score -- [--model model.json] [--now 2026-01-31T00:00:00Z] < contacts.jsonl > scores.jsonl

Each input line: {"contact": {"id", "properties"}, "company": {...} | null, "engagements": {"calls": [], "emails": [], "meetings": [], "notes": [], "tasks": []}},
and optionally "at": an ISO time to score that line as of (labelled training lines carry one); else --now (default: now).
Each output line: the score, grade, status, lifecycle stage, ledger, criteria and next steps; or {"line": N, "error": "..."}.
Blank lines are skipped; a UTF-8 byte-order mark is ignored; a closed output pipe (| head) ends the command quietly.
Exit code: 0 when every line scored, 1 when any line failed, 2 when the command or the model is wrong.`;

const args = readCommand({ model: { type: 'string' }, now: { type: 'string' } }, USAGE);
const model = loadModel(args.model);
const now = args.now === undefined ? Date.now() : parseIsoTime(args.now);
if (now === null)
  fail(`--now must be an ISO 8601 time such as 2026-01-31T00:00:00Z (got "${args.now}")`);
quietOnClosedPipe();

const counts = await scoreStream(process.stdin, process.stdout, model, now);
process.stderr.write(
  `scored ${counts.scored}, failed ${counts.failed}${counts.skipped > 0 ? `, ${counts.skipped} blank line${counts.skipped === 1 ? '' : 's'} skipped` : ''}\n`,
);
process.exitCode = counts.failed > 0 ? 1 : 0;

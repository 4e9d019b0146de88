import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { factsSchema, type Facts } from '../domain/facts';
import type { Model } from '@lead-qualifier/contract';
import { qualify } from '../domain/qualify';
import { err, ok, type Result } from '../domain/result';
import { parseIsoTime } from '../domain/values';
import { toScoreLine } from './score-line';

interface ScoreCounts {
  scored: number;
  failed: number;
  /** Blank lines, passed over. */
  skipped: number;
}

/**
 * One input line as facts, and the time to score it at (the line's own `at`, as labelled lines
 * carry, or null for the command's), or why not, naming the field (`contact.id: …`).
 */
function parseLine(text: string): Result<{ facts: Facts; at: number | null }, string> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return err(`invalid JSON: ${(error as Error).message}`);
  }
  const parsed = factsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return err(`${issue.path.map(String).join('.') || '(line)'}: ${issue.message}`);
  }
  const at = (json as { at?: unknown }).at;
  if (at === undefined) return ok({ facts: parsed.data, at: null });
  const ms = typeof at === 'string' ? parseIsoTime(at) : null;
  if (ms === null) return err('at: must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z');
  return ok({ facts: parsed.data, at: ms });
}

/**
 * Lines of `input`, pulled a chunk at a time: the stream is not read further until the lines
 * already read are scored, so a large input never piles up in memory.
 */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of input as AsyncIterable<string>) {
    // A byte-order mark (Windows editors write one) is not part of the first line.
    const text = first ? chunk.replace(/^\uFEFF/, '') : chunk;
    first = false;
    const parts = (rest + text).split('\n');
    rest = parts.pop()!;
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/**
 * Scores JSONL from `input` to `output`, one output line per non-blank input line, in order (a
 * line with its own `at` is scored as of then). Reads a line at a time and waits when `output`
 * is full, so memory stays flat however long the input is.
 */
export async function scoreStream(
  input: Readable,
  output: Writable,
  model: Model,
  now: number,
): Promise<ScoreCounts> {
  const counts: ScoreCounts = { scored: 0, failed: 0, skipped: 0 };
  let lineNumber = 0;
  for await (const text of readLines(input)) {
    lineNumber++;
    if (text.trim() === '') {
      counts.skipped++;
      continue;
    }
    const line = parseLine(text);
    let out: string;
    if (line.ok) {
      const { facts, at } = line.value;
      out = JSON.stringify(toScoreLine(qualify(facts, model, at ?? now)));
      counts.scored++;
    } else {
      out = JSON.stringify({ line: lineNumber, error: line.error });
      counts.failed++;
    }
    if (!output.write(`${out}\n`)) await once(output, 'drain');
  }
  return counts;
}

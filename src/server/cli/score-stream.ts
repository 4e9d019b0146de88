import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { factsSchema, type Facts } from '../domain/facts';
import type { Model } from '@lead-qualifier/contract';
import { qualify } from '../domain/qualify';
import { err, ok, type Result } from '../domain/result';
import { toScoreLine } from './score-line';

interface ScoreCounts {
  scored: number;
  failed: number;
}

/** One input line as facts, or why not, naming the field (`contact.id: …`). */
function parseLine(text: string): Result<Facts, string> {
  if (text.trim() === '') return err('empty line: each line must be one JSON object');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return err(`invalid JSON: ${(error as Error).message}`);
  }
  const parsed = factsSchema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0]!;
  return err(`${issue.path.map(String).join('.') || '(line)'}: ${issue.message}`);
}

/**
 * Lines of `input`, pulled a chunk at a time: the stream is not read further until the lines
 * already read are scored, so a large input never piles up in memory.
 */
export async function* readLines(input: Readable): AsyncGenerator<string> {
  input.setEncoding('utf8');
  let rest = '';
  for await (const chunk of input as AsyncIterable<string>) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/**
 * Scores JSONL from `input` to `output`, one output line per input line, in order. Reads a line
 * at a time and waits when `output` is full, so memory stays flat however long the input is.
 */
export async function scoreStream(
  input: Readable,
  output: Writable,
  model: Model,
  now: number,
): Promise<ScoreCounts> {
  const counts: ScoreCounts = { scored: 0, failed: 0 };
  let lineNumber = 0;
  for await (const text of readLines(input)) {
    lineNumber++;
    const facts = parseLine(text);
    let out: string;
    if (facts.ok) {
      out = JSON.stringify(toScoreLine(qualify(facts.value, model, now)));
      counts.scored++;
    } else {
      out = JSON.stringify({ line: lineNumber, error: facts.error });
      counts.failed++;
    }
    if (!output.write(`${out}\n`)) await once(output, 'drain');
  }
  return counts;
}

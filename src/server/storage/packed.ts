import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * How records kept per contact are stored: JSON, deflated with a preset dictionary of what
 * such records usually say (field names, property names, the model's labels and phrasing).
 * A record of 2.5 KB is about 1 KB deflated alone and 200–300 B with its dictionary: most of
 * what it says was said by every other record, and the dictionary says it once for all.
 *
 * Layout: byte 0x07, then the dictionary's version, then raw deflate. 0x07 can start neither
 * JSON nor a raw deflate stream (its block type bits are 11, which deflate reserves), so older
 * values (JSON text, or facts deflated without a dictionary) are still read as they were.
 *
 * A dictionary is frozen once values are stored with it: a better one is a new version, and
 * every older version stays here for as long as values written with it may exist.
 */
export type PackedKind = 'score' | 'facts';

const MARK = 0x07;
const CURRENT_VERSION = 1;

const dictionaryFile = (kind: PackedKind, version: number) =>
  new URL(`./dictionaries/${kind}-v${version}.txt`, import.meta.url);
const dictionaries = new Map<string, Buffer>();
function dictionary(kind: PackedKind, version: number): Buffer {
  const key = `${kind}-${version}`;
  let dict = dictionaries.get(key);
  if (!dict) {
    dict = readFileSync(dictionaryFile(kind, version));
    dictionaries.set(key, dict);
  }
  return dict;
}

/** Thrown for a stored value in none of the layouts above (a bug, not input). */
export class UnreadableValueError extends Error {
  override readonly name = 'UnreadableValueError';
}

export function pack(kind: PackedKind, json: string): Buffer {
  const body = deflateRawSync(json, { level: 6, dictionary: dictionary(kind, CURRENT_VERSION) });
  const out = Buffer.allocUnsafe(body.length + 2);
  out[0] = MARK;
  out[1] = CURRENT_VERSION;
  body.copy(out, 2);
  return out;
}

/**
 * The JSON text of a stored value: packed; or, written before packing, JSON as it is (scores,
 * histories) or raw deflate without a dictionary (facts).
 */
export function unpack(kind: PackedKind, stored: Buffer): string {
  if (stored[0] === MARK) {
    const version = stored[1]!;
    let dict: Buffer;
    try {
      dict = dictionary(kind, version);
    } catch {
      throw new UnreadableValueError(`a ${kind} value packed with unknown dictionary v${version}`);
    }
    return inflateRawSync(stored.subarray(2), { dictionary: dict }).toString('utf8');
  }
  const first = stored[0];
  if (kind !== 'facts' && (first === 0x7b || first === 0x5b)) return stored.toString('utf8');
  if (kind === 'facts') return inflateRawSync(stored).toString('utf8');
  throw new UnreadableValueError(`a ${kind} value in no known layout`);
}

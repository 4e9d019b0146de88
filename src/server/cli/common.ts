import { readFileSync } from 'node:fs';
import { DEFAULT_MODEL } from '../domain/default-model';
import { parseModel, type Model } from '../domain/model-schema';

/** Stops the command: what is wrong with how it was called or with its model (exit 2). */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** The model file named on the command line, or the default model; every problem listed by path. */
export function loadModel(file: string | undefined): Model {
  if (file === undefined) return DEFAULT_MODEL;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read the model ${file}: ${(error as Error).message}`);
  }
  const parsed = parseModel(json);
  if (parsed.ok) return parsed.value;
  const lines = parsed.error.map((p) => `  - ${p.path}: ${p.message}`);
  fail(
    `the model ${file} has ${parsed.error.length} problem${parsed.error.length === 1 ? '' : 's'}:\n${lines.join('\n')}`,
  );
}

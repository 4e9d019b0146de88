import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL } from '../domain/default-model';
import { parseModel, type Model } from '@lead-qualifier/contract';

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
    json = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
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

/**
 * Ends quietly when whoever reads standard output goes away (`| head`): the rest of the output
 * has no reader, which is not an error of the command's.
 */
export function quietOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;
type OptionValues<O extends OptionSpec> = {
  [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
};

/**
 * The command line's options: `--help` prints `usage` and exits 0; an unknown or malformed
 * option stops the command with what is wrong and the usage (exit 2).
 */
export function readCommand<O extends OptionSpec>(options: O, usage: string): OptionValues<O> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: process.argv.slice(2),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    }).values as Record<string, string | boolean | undefined>;
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
  if (values['help']) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return values as OptionValues<O>;
}

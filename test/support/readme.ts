import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Markdown with table padding undone: Prettier pads tables, the generators do not. */
export const normaliseMarkdown = (text: string) =>
  text
    .split('\n')
    .map((line) =>
      line
        .trim()
        .replace(/\s*\|\s*/g, '|')
        .replace(/-{3,}/g, '---'),
    )
    .join('\n');

export const readme = () =>
  readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

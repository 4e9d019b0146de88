import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function lintDomainFile(source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, {
    filePath: path.join(root, 'src/server/domain/example.ts'),
  });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the scoring model stays pure', () => {
  it.each([
    [
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
      /no Node built-ins/,
    ],
    ["import fs from 'fs';\nexport const x = fs;\n", /no Node built-ins/],
    [
      "import { Queue } from 'bullmq';\nexport const x = Queue;\n",
      /only zod, the contract and the domain/,
    ],
    [
      "import { Redis } from 'ioredis';\nexport const x = Redis;\n",
      /only zod, the contract and the domain/,
    ],
    [
      "import { Client } from '@hubspot/api-client';\nexport const x = Client;\n",
      /only zod, the contract and the domain/,
    ],
    ['export const now = () => Date.now();\n', /Take `now` as a parameter/],
    ['export const now = () => new Date();\n', /Take `now` as a parameter/],
    ['export const roll = () => Math.random();\n', /deterministic/],
  ])('a domain file doing I/O fails lint: %s', async (source, message) => {
    const messages = await lintDomainFile(source);
    expect(messages.join('\n')).toMatch(message);
  });

  it('a domain file importing zod and its own modules passes', async () => {
    const messages = await lintDomainFile(
      "import { z } from 'zod';\nimport { ok } from './result';\nexport const s = z.string();\nexport const r = ok(1);\nexport const d = (ms: number) => new Date(ms);\n",
    );
    expect(messages).toEqual([]);
  });
});

describe("HubSpot's UI-extension rules run over the code HubSpot builds", () => {
  async function lintUiFile(relativePath: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath: path.join(root, relativePath) });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('a card file importing from outside its folder fails, as it would fail to build in HubSpot', async () => {
    const messages = await lintUiFile(
      'src/app/cards/components/Example.tsx',
      "import { qualify } from '../../../server/domain/qualify';\nexport const x = qualify;\n",
    );
    expect(messages.join('\n')).toMatch(/no-parent-imports: Imports from outside "cards"/);
  });

  it('a settings file using the browser window fails: UI extensions run in a web worker', async () => {
    const messages = await lintUiFile(
      'src/app/settings/components/Example.tsx',
      'export const size = () => window.localStorage.length;\n',
    );
    expect(messages.join('\n')).toMatch(/@hubspot\/ui-extensions\//);
  });

  it('a component importing the workspace packages and its own folder passes', async () => {
    const messages = await lintUiFile(
      'src/app/cards/components/Example.tsx',
      "import { relativeDay } from '@lead-qualifier/shared';\nimport { ago } from '@lead-qualifier/ui-kit';\nimport { CardDetails } from './CardDetails';\nexport const x = [relativeDay, ago, CardDetails];\n",
    );
    expect(messages).toEqual([]);
  });
});

describe('the UI and the backend meet only in the contract', () => {
  async function lintUiFile(relativePath: string, source: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath: path.join(root, relativePath) });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it.each([
    [
      'src/app/packages/ui-kit/example.ts',
      "import type { CardView } from '../../../server/http/card-routes';\nexport type X = CardView;\n",
      /does not import the backend/,
    ],
    [
      'src/app/settings/components/Example.tsx',
      "import { cardViewSchema } from '@lead-qualifier/contract';\nexport const x = cardViewSchema;\n",
      /imports only types from the contract/,
    ],
    [
      'src/app/cards/components/Example.tsx',
      "import { z } from 'zod';\nexport const x = z.string();\n",
      /does not bundle zod/,
    ],
  ])('%s importing what it must not fails lint', async (file, source, message) => {
    expect((await lintUiFile(file, source)).join('\n')).toMatch(message);
  });

  it('types from the contract and its route table pass', async () => {
    const messages = await lintUiFile(
      'src/app/packages/ui-kit/example.ts',
      "import type { CardView } from '@lead-qualifier/contract';\nimport { ROUTES } from '@lead-qualifier/contract/routes';\nexport const x = ROUTES.card;\nexport type X = CardView;\n",
    );
    expect(messages).toEqual([]);
  });
});

describe('no import cycles', () => {
  it('a file importing a module that imports it back fails lint', async () => {
    // settings-routes.ts imports parse-body.ts (through endpoint.ts); parse-body importing it
    // back is a cycle.
    const [result] = await eslint.lintText(
      "import { settingsRoutes } from './settings-routes';\nexport const x = settingsRoutes;\n",
      { filePath: path.join(root, 'src/server/http/parse-body.ts') },
    );
    expect((result?.messages ?? []).map((m) => m.ruleId)).toContain('import-x/no-cycle');
  });
});

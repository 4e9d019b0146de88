// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { config as hubspotUiExtensions } from '@hubspot/eslint-config-ui-extensions';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { builtinModules } from 'node:module';

/**
 * The scoring model is pure: same input, same output, byte for byte. It may import zod and
 * its own modules, nothing that does I/O or reads the clock or a random source.
 */
const domainPurity = {
  files: ['src/server/domain/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: builtinModules.map((name) => ({
          name,
          message: 'src/server/domain is pure: no Node built-ins (pass data in instead).',
        })),
        patterns: [
          {
            group: ['node:*'],
            message: 'src/server/domain is pure: no Node built-ins (pass data in instead).',
          },
          {
            group: [
              'express',
              'bullmq',
              'ioredis',
              'pino',
              'prom-client',
              'react',
              '@hubspot/*',
              '../http/*',
              '../queue/*',
              '../storage/*',
              '../hubspot/*',
              '../../sandbox/*',
            ],
            message:
              'src/server/domain is pure: only zod, the contract and the domain itself may be imported.',
          },
        ],
      },
    ],
    'no-restricted-properties': [
      'error',
      { object: 'Date', property: 'now', message: 'Take `now` as a parameter.' },
      { object: 'Math', property: 'random', message: 'The model is deterministic.' },
    ],
    'no-restricted-syntax': [
      'error',
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: 'Take `now` as a parameter.',
      },
    ],
  },
};

/**
 * HubSpot's own lint rules for UI extensions (what `hs project upload` checks for), over the code
 * HubSpot builds: each component folder under src/app and the workspace packages they import.
 * `no-parent-imports` is the one that catches a component reaching outside its folder, which
 * builds here but not in HubSpot.
 */
const uiExtensionFiles = ['src/app/**/*.{ts,tsx}'];
const hubspotUiRules = hubspotUiExtensions
  .filter((entry) => entry.plugins?.['@hubspot/ui-extensions'])
  .map((entry) => ({ ...entry, files: uiExtensionFiles }));

/**
 * The UI extensions and the backend meet only in the contract package. UI code never imports the
 * backend (HubSpot builds each component from its own folder: a backend file would not resolve,
 * or would be bundled), and takes only types from the contract, so its zod schemas stay out of
 * the bundles; the route table (`@lead-qualifier/contract/routes`) is plain data and may be used.
 */
const uiUsesTheContract = {
  files: ['src/app/**/*.{ts,tsx}'],
  ignores: ['src/app/packages/contract/**', 'src/app/packages/shared/**'],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        paths: [
          {
            name: '@lead-qualifier/contract',
            allowTypeImports: true,
            message:
              'UI code imports only types from the contract (`import type`); routes come from @lead-qualifier/contract/routes.',
          },
          { name: 'zod', message: 'The backend validates; UI code does not bundle zod.' },
        ],
        patterns: [
          {
            group: ['**/server/**', '**/sandbox/**', '**/demo/**'],
            message:
              'UI code does not import the backend: the shapes it reads are in @lead-qualifier/contract.',
          },
        ],
      },
    ],
  },
};

/**
 * No import cycles in the product's code: layers import inward only, and two files that need
 * each other are one idea in two places (a type both use goes to a third file).
 */
const noImportCycles = {
  files: ['src/**/*.{ts,tsx}'],
  plugins: { 'import-x': importX },
  settings: {
    // The files an import leads to are parsed as TypeScript too (else they are skipped).
    'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
  },
  rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'coverage/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/app/**/*.{ts,tsx}', 'test/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  ...hubspotUiRules,
  noImportCycles,
  domainPurity,
  uiUsesTheContract,
);

// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
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
            message: 'src/server/domain is pure: only zod and the domain itself may be imported.',
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
    files: ['src/extensions/**/*.{ts,tsx}', 'src/app/**/*.{ts,tsx}', 'test/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  domainPurity,
);

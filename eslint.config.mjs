// @ts-check
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Packages whose use inside workflow code would break determinism (or the workflow sandbox bundle). */
const WORKFLOW_MESSAGE =
  'Workflow code must be deterministic and runs in the Temporal sandbox: no I/O, Node built-ins, DB, mail, logging or validation libraries. ' +
  'Do this in an activity (activities/) and call it via proxyActivities; type-only imports are fine.';
const NODE_BUILTINS = ['fs', 'path', 'crypto', 'os', 'child_process', 'net', 'http', 'https'];

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '.tools/**',
      '.data/**',
      '.outbox/**',
      'artifacts/**',
      'coverage/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'test/histories/**',
      'web/dist/**',
      'web/src/api/schema.d.ts',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Noisy on this code base (pg rows, JSON payloads, express handlers); would need large rewrites.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [...NODE_BUILTINS, 'pg', 'nodemailer', 'zod', 'exceljs', 'express'].map((name) => ({
            name,
            message: WORKFLOW_MESSAGE,
            allowTypeImports: true,
          })),
          patterns: [
            {
              group: ['node:*', ...NODE_BUILTINS.map((n) => `${n}/*`)],
              message: WORKFLOW_MESSAGE,
              allowTypeImports: true,
            },
            { group: ['@mikro-orm/*'], message: WORKFLOW_MESSAGE, allowTypeImports: true },
            { group: ['pino', 'pino-*', 'pino/*'], message: WORKFLOW_MESSAGE, allowTypeImports: true },
            { group: ['zod/*', 'express/*', 'pg/*'], message: WORKFLOW_MESSAGE, allowTypeImports: true },
          ],
        },
      ],
    },
  },
);

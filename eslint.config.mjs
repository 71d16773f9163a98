// Flat config. Layering rules keep each runtime in its home (see STYLE.md "Layout shows the runtimes").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noVscode = { name: 'vscode', message: 'Only src/extension/ may import vscode.' };
const noTf = {
  group: ['@tensorflow/*'],
  allowTypeImports: true,
  message: 'Only src/runner/ loads TensorFlow.js; core code receives the tf module as an argument.',
};

export default tseslint.config(
  // Build outputs and caches (the same as .gitignore's): bench/gpu/out holds a bundled copy of tfjs.
  {
    ignores: [
      'dist/**',
      'out/**',
      '**/out/**',
      'node_modules/**',
      'demo/**',
      '.cache/**',
      '.gl/**',
      'test-results/**',
      '.vscode-test/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTf] }],
    },
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            noTf,
            { group: ['../core/*', '../runner/*', '../extension/*'], message: 'Protocol holds types only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noTf,
            { group: ['../runner/*'], message: 'The host talks to the runner through src/protocol only.' },
          ],
        },
      ],
    },
  },
  {
    // Code both the Node side (report) and the browser side (panels) run: no Node, no vscode, no tfjs, no
    // other layer (the core, runner and webviews compilers check it has no DOM and no Node types).
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            noTf,
            {
              group: ['node:*', '../core/*', '../runner/*', '../extension/*', '../../webviews/*'],
              message: 'src/shared is runtime-neutral: it imports only src/shared and src/protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['webviews/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            noTf,
            {
              group: ['node:*', '../../src/core/*', '../../src/runner/*', '../../src/extension/*'],
              message: 'Webviews are browser code; share types through src/protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

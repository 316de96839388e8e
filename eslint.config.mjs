// ESLint 9 flat config: `npm run lint`, also run (with tsc) at the start of `npm test`
// (dev/scripts/test.ts). Lints src, __tests__, dev and bench; rule changes are few, each with its reason.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    // Build output, dependencies, app storage and test artifacts (generated, never edited).
    '**/dist/**',
    '**/node_modules/**',
    'coverage/**',
    'storage/**',
    '.app/**',
    '.scratch/**',
    '__tests__/e2e/artifacts/**',
    // Root entry stubs and tool configs, and the hand-written declarations of types/: outside src, __tests__, dev, bench.
    '*.{js,mjs,cjs,ts,mts,cts}',
    'types/**',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a parameter kept for its position; a property dropped from a rest copy is used by the copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Plain ES modules run by Node (install and certificate scripts): its globals, which TypeScript does not check here.
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // React code lives in the client and its component tests only (bench's `useDatabase` is no hook).
    files: ['src/client/**/*.{ts,tsx}', '__tests__/client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Client code talks to NocoBase's untyped client runtime (flow models, schema components, antd button props);
    // tests, emulators and benchmarks poke at loosely shaped API bodies. `any` stays banned in src/server and src/shared.
    files: ['src/client/**', '__tests__/**', 'dev/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Benchmark figures require the server lazily: NocoBase must load after setup.ts has set its environment.
    files: ['bench/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

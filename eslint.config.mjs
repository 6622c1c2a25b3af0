// Type-aware linting: the rules that catch real bugs here (floating promises, unused code,
// misused promises in callbacks) rather than style, which prettier owns.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // examples/src/gql/ is GraphQL Code Generator's output (checked by `npm run codegen:check`).
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/postgraphile/', 'seeds/', 'data/', 'examples/src/gql/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // examples/ is type-checked as the frontend it stands for, with its own tsconfig.
      parserOptions: {
        project: ['./examples/tsconfig.json', './tsconfig.eslint.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Off: every async function here without an await implements a Promise-returning interface
      // (Apollo plugin hooks and context, KeyValueCache, Store, SqlRunner, DataLoader batch
      // functions), where `async` is the idiom and turns a synchronous throw into the rejection the
      // caller handles; dropping it would change behaviour, not fix a bug.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests and benchmarks read GraphQL responses and SQL rows as untyped JSON on purpose: asserting
    // on their shape is the point, so the no-unsafe-* family would only add casts.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' },
  },
  {
    // The plain .js files (bin/newsgraph.js, jest.config.js, tests/*.js) are CommonJS that Node and
    // Jest load as is, without compilation: require() is the only import they have.
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { sourceType: 'module' } },
);

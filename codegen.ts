// GraphQL Code Generator: the typed documents and persisted documents of examples/ (npm run codegen;
// `npm run codegen:check` in CI fails when they are stale or no longer valid against schema/).
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  // The generated folder is output, never input.
  documents: ['examples/src/**/*.ts', '!examples/src/gql/**'],
  generates: {
    'examples/src/gql/': {
      preset: 'client',
      presetConfig: {
        // persisted-documents.json ({ "sha256:<hex>": "<document>" }) is what
        // `newsgraph serve --persisted-only` reads, and each document carries its hash in __meta__.
        persistedDocuments: { hashAlgorithm: 'sha256' },
        // Fragments stay masked (a component sees only the fields it asked for); code outside
        // React reads them with getFragmentData, the same function as the preset's useFragment.
        fragmentMasking: { unmaskFunctionName: 'getFragmentData' },
      },
      config: {
        // Custom scalars arrive as JSON strings (DateTime: RFC 3339).
        scalars: { DateTime: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;

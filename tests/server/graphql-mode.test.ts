/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules works through require */
import fs from 'node:fs';
import path from 'node:path';

// The server loads graphql-js in its production mode (src/server/graphql-production-mode.ts). That
// mode drops only graphql's check for two copies of itself, so this file also proves there is one.

test('the server module gives graphql-js its production path and leaves NODE_ENV as it was', () => {
  const before = process.env.NODE_ENV;
  jest.isolateModules(() => {
    // A fresh module registry: graphql is not loaded yet, as in `newsgraph serve`.
    const { graphqlInProductionMode } =
      require('../../src/server/graphql-production-mode') as typeof import('../../src/server/graphql-production-mode');
    expect(graphqlInProductionMode()).toBe(true);
  });
  expect(process.env.NODE_ENV).toBe(before);
});

test('graphql loaded the usual way outside production is in development mode (what the check tells apart)', () => {
  jest.isolateModules(() => {
    expect(process.env.NODE_ENV).not.toBe('production'); // jest runs with NODE_ENV=test
    require('graphql');
    const { graphqlInProductionMode } =
      require('../../src/server/graphql-production-mode') as typeof import('../../src/server/graphql-production-mode');
    expect(graphqlInProductionMode()).toBe(false);
  });
});

test('every package that executes GraphQL for us resolves the same single copy of graphql', () => {
  const ours = require.resolve('graphql');
  for (const pkg of [
    '@apollo/server',
    'type-graphql',
    '@apollo/server-plugin-response-cache',
    '@as-integrations/express5',
  ]) {
    const dir = path.join(__dirname, '..', '..', 'node_modules', pkg);
    expect([pkg, fs.existsSync(dir)]).toEqual([pkg, true]);
    expect([pkg, require.resolve('graphql', { paths: [dir] })]).toEqual([pkg, ours]);
  }
});

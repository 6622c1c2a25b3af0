/**
 * Outside NODE_ENV=production, graphql-js checks every failed `instanceof` a second way, to name
 * the mistake of two copies of graphql loaded at once (ours has one: tests/server/graphql-mode.test.ts);
 * a front page runs thousands of such checks. Loading graphql's helper with NODE_ENV=production
 * gives the server graphql-js's production path without changing NODE_ENV for anything else
 * (Express, Apollo and our introspection default read the operator's own value).
 *
 * Imported first by the server (app.ts), so it runs before anything loads graphql; where graphql
 * is already loaded (tests, tools), it leaves it as it is.
 */
const helper = require.resolve('graphql/jsutils/instanceOf');

if (!require.cache[helper]) {
  const operators = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- must load now, under NODE_ENV=production
    require(helper);
  } finally {
    if (operators === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = operators;
  }
}

/** Whether graphql-js runs its production path (the plain `instanceof`) in this process. */
export function graphqlInProductionMode(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { instanceOf } = require(helper) as { instanceOf: (v: unknown, c: unknown) => boolean };
  class A {
    get [Symbol.toStringTag]() {
      return 'A';
    }
  }
  class B {
    get [Symbol.toStringTag]() {
      return 'A';
    }
  }
  // The development path throws on a value whose class has the same tag as the constructor's.
  try {
    return instanceOf(new B(), A) === false;
  } catch {
    return false;
  }
}

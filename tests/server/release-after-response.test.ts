import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext, type GraphQLRequestContext } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { buildSchema } from 'graphql';
import * as contextModule from '../../src/graphql/context';
import { CompiledExecution, executorGateway } from '../../src/server/compiled-execution';
import { onResponseGone, releaseAfterResponsePlugin, releaseWhenGone } from '../../src/server/release-after-response';
import { FRONT_PAGE } from '../../bench/queries';
import { sampleServer } from '../helpers/server';
import { waitFor } from '../watch/helpers';

// Waits below are for what they check: a loaded CI machine can take longer than any fixed pause.
jest.setTimeout(60_000);

// Once a response has gone, what its request read is let go (release-after-response.ts): the
// result Apollo keeps and each copy of the context. Not before: a request still running keeps all.

interface Ctx extends BaseContext {
  rows?: string[];
}

/** Apollo over express as the product runs it (gateway executor), with a slow field and a record of each operation. */
async function server() {
  const schema = buildSchema('type Query { rows: [String!]!, slow(ms: Int!): String! }');
  const fields = schema.getQueryType()!.getFields();
  fields.rows.resolve = (_s, _a, ctx: Ctx) => ctx.rows;
  fields.slow.resolve = async (_s, { ms }: { ms: number }) => {
    await new Promise((r) => setTimeout(r, ms));
    return 'done';
  };
  const compiled = new CompiledExecution(schema, { after: null, maxCompiled: 1 });
  const seen: GraphQLRequestContext<Ctx>[] = [];
  const released: Ctx[] = [];
  /** Contexts the factory made, as each is released (the product releases its own too). */
  const made: Ctx[] = [];
  const apollo = new ApolloServer<Ctx>({
    gateway: executorGateway(schema, compiled.executor()),
    allowBatchedHttpRequests: true,
    plugins: [
      { requestDidStart: async (rc) => void seen.push(rc) },
      releaseAfterResponsePlugin<Ctx>((ctx) => {
        released.push(ctx);
        ctx.rows = undefined;
      }),
    ],
  });
  await apollo.start();
  const app = express();
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const ctx: Ctx = { rows: ['a', 'b'] };
        releaseWhenGone(res, ctx);
        onResponseGone(ctx, () => made.push(ctx));
        return ctx;
      },
    }),
  );
  const httpServer = http.createServer(app);
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  const post = (body: unknown, signal?: AbortSignal) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  const close = async () => {
    await apollo.stop();
    httpServer.closeAllConnections();
    await new Promise((r) => httpServer.close(r));
  };
  return { seen, released, made, post, close };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The 'finish' event comes right after the last byte is handed over: waits for `done`, then a little longer for anything extra. */
async function settle(what: string, done: () => boolean): Promise<void> {
  await waitFor(what, done);
  await pause(20);
}

describe('what a request read is let go once its response has gone', () => {
  test('the result and the operation context go; the answer was whole', async () => {
    const s = await server();
    try {
      const res = await s.post({ query: '{ rows }' });
      expect(await res.json()).toEqual({ data: { rows: ['a', 'b'] } });
      await settle('the release', () => s.released.length >= 1 && s.made.length >= 1);
      expect(s.seen).toHaveLength(1);
      expect(s.seen[0].response.body).toBeUndefined();
      expect(s.released).toHaveLength(1);
      expect(s.released[0]).toBe(s.seen[0].contextValue);
      expect(s.released[0].rows).toBeUndefined();
      expect(s.made).toHaveLength(1);
      expect(s.made[0]).not.toBe(s.released[0]);
    } finally {
      await s.close();
    }
  });

  test('each operation of a batch, after the whole response', async () => {
    const s = await server();
    try {
      const res = await s.post([{ query: '{ rows }' }, { query: '{ slow(ms: 30) }' }]);
      expect(await res.json()).toEqual([{ data: { rows: ['a', 'b'] } }, { data: { slow: 'done' } }]);
      await settle('both releases', () => s.released.length >= 2);
      expect(s.seen).toHaveLength(2);
      for (const rc of s.seen) expect(rc.response.body).toBeUndefined();
      expect(s.released).toHaveLength(2);
    } finally {
      await s.close();
    }
  });

  test('a request whose client went away keeps what it holds while it runs', async () => {
    const s = await server();
    try {
      const abort = new AbortController();
      const res = s.post({ query: '{ slow(ms: 300) }' }, abort.signal).catch((e: Error) => e);
      await settle('the request running', () => s.seen.length >= 1);
      abort.abort();
      expect(await res).toMatchObject({ name: 'AbortError' });
      await settle('its end', () => s.seen[0].response.body !== undefined);
      await pause(100);
      expect(s.seen).toHaveLength(1);
      expect(s.released).toHaveLength(0);
      expect(s.made).toHaveLength(0);
      expect(s.seen[0].response.body).toBeDefined();
    } finally {
      await s.close();
    }
  });

  test('releases run once, in the order given, and a context not given a list takes none', () => {
    const finished = new http.ServerResponse(new http.IncomingMessage(null as never));
    const ctx = {};
    const order: number[] = [];
    releaseWhenGone(finished, ctx);
    onResponseGone(ctx, () => order.push(1));
    onResponseGone(ctx, () => order.push(2));
    finished.emit('finish');
    finished.emit('finish');
    expect(order).toEqual([1, 2]);
    expect(() => onResponseGone({}, () => order.push(3))).not.toThrow();
  });
});

describe('the product server lets go of each request context', () => {
  test('a front page: both copies of its context released after the answer, late use says why', async () => {
    const release = jest.spyOn(contextModule, 'releaseContext');
    const api = await sampleServer();
    try {
      const r = await api.gql(FRONT_PAGE);
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.posts.edges.length).toBeGreaterThan(0);
      await settle('both releases', () => release.mock.calls.length >= 2);
      // The context the server made, and the copy Apollo handed the operation.
      expect(release).toHaveBeenCalledTimes(2);
      const [made, copy] = release.mock.calls.map((c) => c[0]);
      expect(made).not.toBe(copy);
      for (const ctx of [made, copy]) {
        expect(() => ctx.loaders.post).toThrow(/the request has ended/);
        expect(ctx.reads).toBeUndefined();
      }
    } finally {
      release.mockRestore();
      await api.close();
    }
  });
});

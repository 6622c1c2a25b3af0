import v8 from 'node:v8';
import vm from 'node:vm';
import type { PoolClient } from 'pg';
import { Pipeline } from '../../src/db/writes/pg-pipeline';

// A client that answers each statement on a later turn, as pg does, with rows the test can watch.
function fakeClient(answer: (sql: string) => Record<string, unknown>[] | Error) {
  const log: string[] = [];
  const client = {
    query: async (sql: string) => {
      log.push(sql);
      await new Promise(setImmediate);
      const a = answer(sql);
      if (a instanceof Error) throw a;
      return { rows: a };
    },
  };
  return { client: client as unknown as PoolClient, log };
}

test('statements go out in order, one after the other, and done waits for all of them', async () => {
  const { client, log } = fakeClient((sql) => [{ sql }]);
  const p = new Pipeline(client);
  p.send('A');
  const b = p.query('B');
  p.sendTogether([
    { sql: 'INSERT INTO t VALUES ($1)', args: [1] },
    { sql: 'INSERT INTO u VALUES ($1)', args: [2] },
  ]);
  expect(log).toEqual([]);
  expect(await b).toEqual([{ sql: 'B' }]);
  await p.done();
  expect(log).toEqual([
    'A',
    'B',
    'WITH w0 AS (INSERT INTO t VALUES ($1)),\nw1 AS (INSERT INTO u VALUES ($2)) SELECT 1',
  ]);
});

test('after a failure nothing more is sent, and done and every later statement fail with the first error', async () => {
  const { client, log } = fakeClient((sql) => (sql === 'BAD' ? new Error('syntax error at BAD') : []));
  const p = new Pipeline(client);
  p.send('A');
  p.send('BAD');
  const after = p.query('C');
  await expect(after).rejects.toThrow('syntax error at BAD');
  await expect(p.done()).rejects.toThrow('syntax error at BAD');
  await expect(p.query('D')).rejects.toThrow('syntax error at BAD');
  expect(log).toEqual(['A', 'BAD']);
});

test('the pipeline keeps no statement rows once their reader is done with them', async () => {
  // A reindex reads every post's text in one transaction: rows held until `done` filled the heap.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const { client } = fakeClient(() => [{ text: 'x'.repeat(1000) }]);
  const p = new Pipeline(client);
  const refs: WeakRef<object>[] = [];
  for (let i = 0; i < 20; i++) refs.push(new WeakRef(await p.query(`SELECT ${i}`)));
  p.send('INSERT');
  await new Promise(setImmediate); // weak references are kept for the turn that made them
  gc();
  expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
  await p.done();
});

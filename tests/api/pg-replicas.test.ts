import { graphql } from 'graphql';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { importArchives } from '../../src/db/importer';
import { postgresPools, replicaUrlsFromEnv } from '../../src/db/postgres';
import { readStoreOf, writeStoreOf } from '../../src/db/store';
import { createContext } from '../../src/graphql/context';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { SEED, withPostgres } from '../helpers/db';
import { tempPostgres } from '../helpers/pg';

// Two schemas stand in for a primary and its replica (no streaming replication here): what each
// holds shows where a statement went. The import must land on the primary only, and the API must
// read from the replica only.

const schema = buildNewsgraphSchema();
let primary: Awaited<ReturnType<typeof tempPostgres>>;
let replica: Awaited<ReturnType<typeof tempPostgres>>;
let ds: DataSource;

const count = async (pool: { query: (sql: string) => Promise<{ rows: { n: number }[] }> }) =>
  (await pool.query('SELECT count(*)::int AS n FROM post')).rows[0].n;

withPostgres('read replicas', () => {
  beforeAll(async () => {
    primary = await tempPostgres();
    replica = await tempPostgres();
    ds = await openDatabase(primary.url, { replicas: [replica.url] });
  }, 60_000);

  afterAll(async () => {
    await ds?.destroy();
    await primary?.close();
    await replica?.close();
  });

  test('DATABASE_REPLICA_URLS lists the replicas (comma-separated, blanks ignored)', () => {
    expect(replicaUrlsFromEnv({ DATABASE_REPLICA_URLS: ' postgres://a/x , ,postgres://b/y' })).toEqual([
      'postgres://a/x',
      'postgres://b/y',
    ]);
    expect(replicaUrlsFromEnv({})).toEqual([]);
  });

  test('TypeORM replication: one pool for the primary, one per replica', () => {
    const pools = postgresPools(ds);
    expect(pools.replicas).toHaveLength(1);
    expect(pools.primary).not.toBe(pools.replicas[0]);
  });

  test('the import writes to the primary; the API reads from the replica', async () => {
    const store = readStoreOf(ds);
    const summary = await importArchives(writeStoreOf(ds), [SEED]);
    expect(summary.new).toBe(104);
    expect(await count(primary.pool)).toBe(104);
    expect(await count(replica.pool)).toBe(0);

    const ask = async () =>
      (
        await graphql({
          schema,
          source: '{ posts(first: 1) { totalCount edges { node { title } } } }',
          contextValue: createContext(store.runner()),
        })
      ).data as any;
    // The replica has not caught up (it never will here): the API shows what the replica holds.
    expect(await ask()).toEqual({ posts: { totalCount: 0, edges: [] } });
    await replica.pool
      .query(`INSERT INTO post (url, slug, title, date_ms, date_offset, excerpt, html, text, archive_id, path, content_hash)
      VALUES ('/r.html', 'r', 'only on the replica', 0, 0, '', '', '', 1, 'r.md', 'x')`);
    // The count of every post comes from the read model, which the import keeps beside the post.
    await replica.pool.query(`INSERT INTO coverage_month (kind, entity_id, month, posts) VALUES ('post', 0, 0, 1)`);
    expect(await ask()).toEqual({ posts: { totalCount: 1, edges: [{ node: { title: 'only on the replica' } }] } });
    expect(await count(primary.pool)).toBe(104);
  });

  test("the response cache keys on the replica's data version, which its own writes move", async () => {
    const store = readStoreOf(ds);
    const before = await store.dataVersion();
    await replica.pool.query(`UPDATE post SET title = 'changed' WHERE url = '/r.html'`);
    expect(await store.dataVersion()).not.toBe(before);
  });

  test('a SQLite primary with replicas is refused, naming the setting', async () => {
    await expect(openDatabase('/tmp/x.db', { replicas: ['postgres://127.0.0.1/test'] })).rejects.toThrow(
      /DATABASE_REPLICA_URLS.*PostgreSQL primary/,
    );
  });
});

import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { postgresPools } from '../../src/db/postgres';

/** The test server (PG_TEST_URL, else the local one), without a schema. */
export const PG_BASE_URL = process.env.PG_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: PG_BASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A migrated PostgreSQL database of its own: a fresh schema `t_<random>` that every connection of
 * the URL uses (`options=-c search_path=…`, which TypeORM hands to pg untouched), so tests can run
 * side by side on one server; its connections carry the schema as their `application_name`. `close`
 * drops the schema and everything in it.
 */
export async function tempPostgres(): Promise<{
  url: string;
  schema: string;
  ds: DataSource;
  pool: Pool;
  close: () => Promise<void>;
}> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  // The schema must exist first: TypeORM creates its migrations table in current_schema().
  await admin((c) => c.query(`CREATE SCHEMA ${schema}`));
  // Named after the schema too, so a test can tell its own backends in pg_stat_activity.
  const url = `${PG_BASE_URL}${PG_BASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}&application_name=${schema}`;
  let ds: DataSource;
  try {
    ds = await openDatabase(url);
  } catch (err) {
    await admin((c) => c.query(`DROP SCHEMA ${schema} CASCADE`));
    throw err;
  }
  return {
    url,
    schema,
    ds,
    pool: postgresPools(ds).primary,
    close: async () => {
      if (ds.isInitialized) await ds.destroy();
      await admin((c) => c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}

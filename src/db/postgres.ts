import { DataSource, DataSourceOptions } from 'typeorm';
import type { Pool } from 'pg';
import { entities } from '../entities';
import { postgresMigrations } from '../../migrations/postgres';

/** DATABASE_REPLICA_URLS: comma-separated read replicas of a PostgreSQL primary. */
export function replicaUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.DATABASE_REPLICA_URLS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * PostgreSQL data source; with replicas, TypeORM's replication keeps one pool per server (writes
 * and migrations on the primary, reads on the replicas). Counts and ids arrive as numbers
 * (`parseInt8`): they are far below 2^53.
 */
export function postgresOptions(url: string, replicas: string[] = [], poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    ...(replicas.length ? { replication: { master: { url }, slaves: replicas.map((r) => ({ url: r })) } } : { url }),
    entities,
    migrations: postgresMigrations,
    migrationsRun: false,
    synchronize: false,
    parseInt8: true,
    poolSize,
    applicationName: 'newsgraph',
  };
}

/** The pools behind a TypeORM PostgreSQL data source: set-based SQL goes to them directly. */
export function postgresPools(ds: DataSource): { primary: Pool; replicas: Pool[] } {
  if (ds.options.type !== 'postgres') throw new Error(`expected a PostgreSQL data source, got ${ds.options.type}`);
  const driver = ds.driver as unknown as { master: Pool; slaves: Pool[] };
  return { primary: driver.master, replicas: driver.slaves };
}

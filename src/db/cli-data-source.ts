// For the TypeORM CLI (migration:generate against a scratch database).
import { DataSource } from 'typeorm';
import { sqliteOptions } from './data-source';

export default new DataSource(sqliteOptions(process.env.MIGRATION_DB || '/tmp/newsgraph-migrate.db'));

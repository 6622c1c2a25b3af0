import { MigrationInterface, QueryRunner } from 'typeorm';
import { REBUILD_MONTHS } from '../../src/db/writes/read-model';

// Posts per calendar month beside posts per day (src/entities/coverage-month.ts), built from the
// day rows: a monthly timeline or a count over years reads a row a month.

export class CoverageMonth1795563700011 implements MigrationInterface {
  name = 'CoverageMonth1795563700011';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "coverage_month" ("kind" text NOT NULL, "entity_id" integer NOT NULL, "month" integer NOT NULL, "posts" integer NOT NULL, PRIMARY KEY ("kind", "entity_id", "month")) WITHOUT ROWID`,
    );
    for (const { sql } of REBUILD_MONTHS) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "coverage_month"`);
  }
}

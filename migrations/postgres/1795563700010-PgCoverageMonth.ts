import { MigrationInterface, QueryRunner } from 'typeorm';
import { REBUILD_MONTHS } from '../../src/db/writes/read-model';

// Posts per calendar month beside posts per day (src/entities/coverage-month.ts), built from the
// day rows; text in byte order, and the data version moved by its writes like the other served tables.

export class PgCoverageMonth1795563700010 implements MigrationInterface {
  name = 'PgCoverageMonth1795563700010';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "coverage_month" ("kind" text COLLATE "C" NOT NULL, "entity_id" integer NOT NULL, "month" integer NOT NULL, "posts" integer NOT NULL, CONSTRAINT "PK_coverage_month" PRIMARY KEY ("kind", "entity_id", "month"))`,
    );
    for (const { sql } of REBUILD_MONTHS) await q.query(sql);
    await q.query(
      `CREATE TRIGGER "coverage_month_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "coverage_month" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "coverage_month"`);
  }
}

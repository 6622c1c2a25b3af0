import { MigrationInterface, QueryRunner } from 'typeorm';
import { REBUILD_READ_MODEL } from '../../src/db/writes/read-model';

// The read model the import keeps (src/entities/stock-pair.ts, coverage-day.ts), built from the
// posts already stored; text in byte order like every other column, the rank index descending on
// `together`, and the data version moved by its writes like the other served tables.

const TABLES = ['stock_pair', 'coverage_day'];

export class PgReadModel1795563699992 implements MigrationInterface {
  name = 'PgReadModel1795563699992';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "coverage_day" ("kind" text COLLATE "C" NOT NULL, "entity_id" integer NOT NULL, "day" integer NOT NULL, "posts" integer NOT NULL, CONSTRAINT "PK_10b4fa42014600911632204f870" PRIMARY KEY ("kind", "entity_id", "day"))`,
    );
    await q.query(
      `CREATE TABLE "stock_pair" ("stock_id" integer NOT NULL, "other_id" integer NOT NULL, "together" integer NOT NULL, CONSTRAINT "PK_190e532d68003bcf95ebb20b240" PRIMARY KEY ("stock_id", "other_id"))`,
    );
    await q.query(`CREATE INDEX "ix_stock_pair_rank" ON "stock_pair" ("stock_id", "together" DESC, "other_id")`);
    for (const { sql } of REBUILD_READ_MODEL) await q.query(sql);
    for (const t of TABLES) {
      await q.query(
        `CREATE TRIGGER "${t}_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.query(`DROP TABLE "${t}"`);
  }
}

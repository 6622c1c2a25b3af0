import { MigrationInterface, QueryRunner } from 'typeorm';
import { REBUILD_READ_MODEL } from '../../src/db/writes/read-model';

// The read model the import keeps (src/entities/stock-pair.ts, coverage-day.ts), built from the
// posts already stored. Both tables are their primary keys (WITHOUT ROWID): an import's upserts
// then touch one b-tree, not a table and its key index. The rank index is descending on `together`, so a stock's top pairs are the
// first entries of its range (TypeORM's decorators cannot say so).

export class ReadModel1795563699991 implements MigrationInterface {
  name = 'ReadModel1795563699991';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "coverage_day" ("kind" text NOT NULL, "entity_id" integer NOT NULL, "day" integer NOT NULL, "posts" integer NOT NULL, PRIMARY KEY ("kind", "entity_id", "day")) WITHOUT ROWID`,
    );
    await q.query(
      `CREATE TABLE "stock_pair" ("stock_id" integer NOT NULL, "other_id" integer NOT NULL, "together" integer NOT NULL, PRIMARY KEY ("stock_id", "other_id")) WITHOUT ROWID`,
    );
    await q.query(`CREATE INDEX "ix_stock_pair_rank" ON "stock_pair" ("stock_id", "together" DESC, "other_id")`);
    for (const { sql } of REBUILD_READ_MODEL) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "stock_pair"`);
    await q.query(`DROP TABLE "coverage_day"`);
  }
}

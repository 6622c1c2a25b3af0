import { MigrationInterface, QueryRunner } from 'typeorm';
import { runAsync, withNumbered, type Row } from '../../src/db/related/program';
import { rebuildRelatedLists } from '../../src/db/related/rebuild';

// Each post's ranked related posts (src/entities/post-related.ts), ranked for the posts already
// stored; the data version moves with its writes like the other served tables.

export class PgRelatedLists1795563699994 implements MigrationInterface {
  name = 'PgRelatedLists1795563699994';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "post_related" ("post_id" integer NOT NULL, "ranked" text COLLATE "C" NOT NULL, CONSTRAINT "PK_48818422ef8f0a452a2dadc6d1e" PRIMARY KEY ("post_id"))`,
    );
    await q.query(
      `CREATE TABLE "read_model_state" ("name" text COLLATE "C" NOT NULL, "value" integer NOT NULL, CONSTRAINT "PK_36d2d3bd3387ce9725e1f1ed0fd" PRIMARY KEY ("name"))`,
    );
    await runAsync(
      withNumbered((sql, params) => q.query(sql, params) as Promise<Row[]>),
      rebuildRelatedLists(),
    );
    await q.query(
      `CREATE TRIGGER "post_related_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "post_related" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "read_model_state"`);
    await q.query(`DROP TABLE "post_related"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { runAsync, type Row } from '../../src/db/related/program';
import { rebuildRelatedLists } from '../../src/db/related/rebuild';

// Each post's ranked related posts (src/entities/post-related.ts), ranked for the posts already stored,
// and when they were last ranked all at once (read-model-state.ts).

export class RelatedLists1795563699993 implements MigrationInterface {
  name = 'RelatedLists1795563699993';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "post_related" ("post_id" integer PRIMARY KEY NOT NULL, "ranked" text NOT NULL) WITHOUT ROWID`,
    );
    await q.query(`CREATE TABLE "read_model_state" ("name" text PRIMARY KEY NOT NULL, "value" integer NOT NULL)`);
    await runAsync((sql, params) => q.query(sql, params) as Promise<Row[]>, rebuildRelatedLists());
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "read_model_state"`);
    await q.query(`DROP TABLE "post_related"`);
  }
}

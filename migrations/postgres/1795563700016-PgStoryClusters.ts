import { MigrationInterface, QueryRunner } from 'typeorm';
import { runAsync, withNumbered, type Row } from '../../src/db/related/program';
import { rebuildStories } from '../../src/db/story/upkeep';

// Story clusters (src/entities/post-story.ts, post-same-story.ts; src/db/story): signatures and
// same-story pairs, made for the posts already stored; text in byte order, and the
// data version moved by the pairs' writes (a served table) like the others.

export class PgStoryClusters1795563700016 implements MigrationInterface {
  name = 'PgStoryClusters1795563700016';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "post_story" ("post_id" integer NOT NULL, "date_ms" bigint NOT NULL, "signature" text COLLATE "C" NOT NULL, CONSTRAINT "PK_2d0eeb3a6b4ae166b4abf3e577d" PRIMARY KEY ("post_id"))`,
    );
    await q.query(`CREATE INDEX "ix_post_story_date" ON "post_story" ("date_ms")`);
    await q.query(
      `CREATE TABLE "post_same_story" ("post_id" integer NOT NULL, "other_id" integer NOT NULL, CONSTRAINT "PK_b73232735e778da3c76a297cbae" PRIMARY KEY ("post_id", "other_id"))`,
    );
    await q.query(
      `CREATE TRIGGER "post_same_story_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "post_same_story" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()`,
    );
    // Rows of SELECTs only: the programs read nothing back from their other statements.
    const query = async (sql: string, params: unknown[]) => {
      const rows: unknown = await q.query(sql, params);
      return (/^\s*SELECT/i.test(sql) && Array.isArray(rows) ? rows : []) as Row[];
    };
    await runAsync(withNumbered(query), rebuildStories());
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_same_story"`);
    await q.query(`DROP TABLE "post_story"`);
  }
}

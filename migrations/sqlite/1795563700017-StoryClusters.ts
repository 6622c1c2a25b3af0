import { MigrationInterface, QueryRunner } from 'typeorm';
import { nativeSqlite } from '../../src/db/native';
import { runSync } from '../../src/db/related/program';
import { rebuildStories } from '../../src/db/story/upkeep';

// Story clusters (src/entities/post-story.ts, post-same-story.ts; src/db/story): signatures and
// same-story pairs, made for the posts already stored.

export class StoryClusters1795563700017 implements MigrationInterface {
  name = 'StoryClusters1795563700017';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "post_story" ("post_id" integer PRIMARY KEY NOT NULL, "date_ms" bigint NOT NULL, "signature" text NOT NULL)`,
    );
    await q.query(`CREATE INDEX "ix_post_story_date" ON "post_story" ("date_ms")`);
    await q.query(
      `CREATE TABLE "post_same_story" ("post_id" integer NOT NULL, "other_id" integer NOT NULL, PRIMARY KEY ("post_id", "other_id")) WITHOUT ROWID`,
    );
    const db = nativeSqlite(q.connection);
    runSync((sql) => db.prepare(sql), rebuildStories());
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_same_story"`);
    await q.query(`DROP TABLE "post_story"`);
  }
}

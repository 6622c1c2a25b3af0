import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildPostLinksSql } from '../../src/db/schema/post-links';

// Each post's links in one row (src/entities/post-links.ts, src/db/schema/post-links.ts), made
// for the posts already stored from their link tables.

export class PostLinks1795563700019 implements MigrationInterface {
  name = 'PostLinks1795563700019';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "post_links" ("post_id" integer PRIMARY KEY NOT NULL, "links" text NOT NULL)`);
    for (const sql of rebuildPostLinksSql('sqlite')) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_links"`);
  }
}

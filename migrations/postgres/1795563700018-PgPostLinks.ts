import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildPostLinksSql } from '../../src/db/schema/post-links';

// Each post's links in one row (src/entities/post-links.ts, src/db/schema/post-links.ts), made
// for the posts already stored from their link tables; text in byte order, and the data version
// moved by its writes (a served table) like the others.

export class PgPostLinks1795563700018 implements MigrationInterface {
  name = 'PgPostLinks1795563700018';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "post_links" ("post_id" integer NOT NULL, "links" text COLLATE "C" NOT NULL, CONSTRAINT "PK_e50b88e25f19e377a96dbc9b373" PRIMARY KEY ("post_id"))`,
    );
    await q.query(
      `CREATE TRIGGER "post_links_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "post_links" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()`,
    );
    for (const sql of rebuildPostLinksSql('postgres')) await q.query(sql);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_links"`);
  }
}

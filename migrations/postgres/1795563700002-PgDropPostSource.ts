import { MigrationInterface, QueryRunner } from 'typeorm';

// The post's Markdown body and front matter (JSON) were stored and never read: the server serves
// the rendered HTML and text, and a changed parser reads the archive again (#14: storage that
// pays for nothing). PostgreSQL drops them at once; VACUUM FULL returns the space.

export class PgDropPostSource1795563700002 implements MigrationInterface {
  name = 'PgDropPostSource1795563700002';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "post" DROP COLUMN "body"`);
    await q.query(`ALTER TABLE "post" DROP COLUMN "front_matter"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The dropped text is gone: the columns come back empty until the archive is imported again.
    await q.query(`ALTER TABLE "post" ADD "body" text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "post" ADD "front_matter" text NOT NULL DEFAULT '{}'`);
  }
}

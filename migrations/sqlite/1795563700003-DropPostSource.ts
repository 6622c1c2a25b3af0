import { MigrationInterface, QueryRunner } from 'typeorm';

// The post's Markdown body and front matter (JSON) were stored and never read: the server serves
// the rendered HTML and text, and a changed parser reads the archive again. At 100k posts they
// were 480 MB of a 1.84 GB database (#14). SQLite rewrites the table to drop them (~25 s at 100k);
// the freed pages are reused by later imports (`VACUUM` returns them to the file system).

export class DropPostSource1795563700003 implements MigrationInterface {
  name = 'DropPostSource1795563700003';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "post" DROP COLUMN "body"`);
    await q.query(`ALTER TABLE "post" DROP COLUMN "front_matter"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // The dropped text is gone: the columns come back empty until the archive is imported again.
    await q.query(`ALTER TABLE "post" ADD COLUMN "body" text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE "post" ADD COLUMN "front_matter" text NOT NULL DEFAULT '{}'`);
  }
}

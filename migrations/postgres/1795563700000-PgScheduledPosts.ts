import { MigrationInterface, QueryRunner } from 'typeorm';

// Posts dated in the future under `future: false` (src/ingest/jekyll/future.ts): a scheduled file
// keeps when it becomes a post (source_file.publish_at_ms), so that an import reads it again then.
//
// A database imported before this served such posts at once. Their files are marked changed
// (size -1, no hash) so that the next import reads them again under the site's `future:` setting:
// hidden until their time (REMOVED now, ADDED then), or left as they are with `future: true`.

export class PgScheduledPosts1795563700000 implements MigrationInterface {
  name = 'PgScheduledPosts1795563700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "source_file" ADD "publish_at_ms" bigint`);
    await q.query(`CREATE INDEX "ix_source_file_publish_at" ON "source_file" ("archive_id", "publish_at_ms") `);
    await q.query(
      `UPDATE "source_file" SET "size" = -1, "file_hash" = '' WHERE "status" = 'post'
        AND EXISTS (SELECT 1 FROM "post" p WHERE p."url" = "source_file"."url" AND p."date_ms" > $1)`,
      [Math.floor(Date.now() / 1000) * 1000],
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_source_file_publish_at"`);
    await q.query(`ALTER TABLE "source_file" DROP COLUMN "publish_at_ms"`);
  }
}

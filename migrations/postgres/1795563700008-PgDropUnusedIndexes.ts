import { MigrationInterface, QueryRunner } from 'typeorm';

// Indexes no statement uses (docs/performance.md, "What a post costs to store"): the post's source
// link and path are read with the post, never searched by; source_file.url is searched only among
// duplicates, which ix_source_file_duplicate holds. 203 bytes a post at 100k, and three index
// inserts a post on import.

export class PgDropUnusedIndexes1795563700008 implements MigrationInterface {
  name = 'PgDropUnusedIndexes1795563700008';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_post_source_url"`);
    await q.query(`DROP INDEX "ix_post_path"`);
    await q.query(`DROP INDEX "ix_source_file_url"`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_post_source_url" ON "post" ("source_url") `);
    await q.query(`CREATE INDEX "ix_post_path" ON "post" ("path") `);
    await q.query(`CREATE INDEX "ix_source_file_url" ON "source_file" ("url") `);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

// Each related list carries the write stamp of the transaction that last wrote it, so that a
// server following imports (the response cache) finds the lists a batch changed with one index
// range instead of reading every list it has shown. Lists written before start at 0.

export class RelatedListStamp1795563700005 implements MigrationInterface {
  name = 'RelatedListStamp1795563700005';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "post_related" ADD COLUMN "stamp" bigint NOT NULL DEFAULT (0)`);
    await q.query(`CREATE INDEX "ix_post_related_stamp" ON "post_related" ("stamp", "post_id") `);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_post_related_stamp"`);
    await q.query(`ALTER TABLE "post_related" DROP COLUMN "stamp"`);
  }
}

import { randomInt } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { FEED_ID, FEED_STATE } from '../../src/db/writes/change-feed';

// The change feed (src/entities/post-change.ts). It starts empty: on a database imported before
// it existed, the feed starts at the upgrade. The feed's id is random, so that a cursor of another
// database (or of this one created anew) is refused instead of read as a position in this feed.

export class ChangeFeed1795563699997 implements MigrationInterface {
  name = 'ChangeFeed1795563699997';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "post_change" ("seq" integer PRIMARY KEY NOT NULL, "kind" text NOT NULL, "post_id" integer NOT NULL, "url" text NOT NULL, "at_ms" bigint NOT NULL)`,
    );
    await q.query(`INSERT INTO "read_model_state" ("name", "value") VALUES (?, ?)`, [
      FEED_ID,
      randomInt(1, 2 ** 31 - 1),
    ]);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_change"`);
    await q.query(`DELETE FROM "read_model_state" WHERE "name" IN (${FEED_STATE.map(() => '?').join(', ')})`, [
      ...FEED_STATE,
    ]);
  }
}

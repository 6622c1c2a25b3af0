import { randomInt } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { FEED_ID, FEED_STATE } from '../../src/db/writes/change-feed';

// The change feed (src/entities/post-change.ts), empty at first (the feed starts at the upgrade),
// with a random id (see the SQLite migration); the data version moves with its writes like the
// other served tables.

export class PgChangeFeed1795563699996 implements MigrationInterface {
  name = 'PgChangeFeed1795563699996';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "post_change" ("seq" integer NOT NULL, "kind" text COLLATE "C" NOT NULL, "post_id" integer NOT NULL, "url" text COLLATE "C" NOT NULL, "at_ms" bigint NOT NULL, CONSTRAINT "PK_0d7b6beebcd5329eef86cbddf3d" PRIMARY KEY ("seq"))`,
    );
    await q.query(`INSERT INTO "read_model_state" ("name", "value") VALUES ($1, $2)`, [
      FEED_ID,
      randomInt(1, 2 ** 31 - 1),
    ]);
    await q.query(
      `CREATE TRIGGER "post_change_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "post_change" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_change"`);
    await q.query(`DELETE FROM "read_model_state" WHERE "name" = ANY($1)`, [[...FEED_STATE]]);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

// How far each webhook has been delivered (src/entities/webhook-cursor.ts). No data_version
// trigger: delivery progress is not content, and must not flush the response caches.

export class PgWebhookCursors1795563699998 implements MigrationInterface {
  name = 'PgWebhookCursors1795563699998';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "webhook_cursor" ("url" text COLLATE "C" PRIMARY KEY NOT NULL, "seq" integer NOT NULL, "delivered_ms" bigint)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "webhook_cursor"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

// How far each webhook has been delivered (src/entities/webhook-cursor.ts).

export class WebhookCursors1795563699999 implements MigrationInterface {
  name = 'WebhookCursors1795563699999';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "webhook_cursor" ("url" text PRIMARY KEY NOT NULL, "seq" integer NOT NULL, "delivered_ms" bigint)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "webhook_cursor"`);
  }
}

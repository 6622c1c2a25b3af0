import { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from src/entities (typeorm migration:generate), plus the search index TypeORM cannot model.

export class Init1795563699989 implements MigrationInterface {
  name = 'Init1795563699989';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "archive" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "root" text NOT NULL, "config_hash" text NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_archive_root" ON "archive" ("root") `);
    await queryRunner.query(
      `CREATE TABLE "board" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "code" text NOT NULL, "secid" text NOT NULL, "name" text, "post_count" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_board_code" ON "board" ("code") `);
    await queryRunner.query(
      `CREATE TABLE "category" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, "title" text, "post_count" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_category_slug" ON "category" ("slug") `);
    await queryRunner.query(
      `CREATE TABLE "organization" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, "post_count" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_organization_name" ON "organization" ("name") `);
    await queryRunner.query(
      `CREATE TABLE "post" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "url" text NOT NULL, "slug" text NOT NULL, "title" text NOT NULL, "date_ms" bigint NOT NULL, "date_offset" integer NOT NULL, "excerpt" text NOT NULL, "html" text NOT NULL, "text" text NOT NULL, "body" text NOT NULL, "front_matter" text NOT NULL, "source_url" text, "archive_id" integer NOT NULL, "path" text NOT NULL, "content_hash" text NOT NULL, "publisher_id" integer)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_post_url" ON "post" ("url") `);
    await queryRunner.query(`CREATE INDEX "ix_post_slug" ON "post" ("slug") `);
    await queryRunner.query(`CREATE INDEX "ix_post_source_url" ON "post" ("source_url") `);
    await queryRunner.query(`CREATE INDEX "ix_post_path" ON "post" ("path") `);
    await queryRunner.query(`CREATE INDEX "ix_post_publisher" ON "post" ("publisher_id", "date_ms") `);
    await queryRunner.query(`CREATE INDEX "ix_post_date" ON "post" ("date_ms", "id") `);
    await queryRunner.query(
      `CREATE TABLE "post_board" ("count" integer NOT NULL, "embed_count" integer NOT NULL DEFAULT (0), "link_count" integer NOT NULL DEFAULT (0), "text_count" integer NOT NULL DEFAULT (0), "post_id" integer NOT NULL, "board_id" integer NOT NULL, "date_ms" bigint NOT NULL, PRIMARY KEY ("post_id", "board_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_post_board_board" ON "post_board" ("board_id", "date_ms", "post_id") `);
    await queryRunner.query(
      `CREATE TABLE "post_category" ("post_id" integer NOT NULL, "category_id" integer NOT NULL, "position" integer NOT NULL, "date_ms" bigint NOT NULL, PRIMARY KEY ("post_id", "category_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_post_category_category" ON "post_category" ("category_id", "date_ms", "post_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "post_organization" ("count" integer NOT NULL, "embed_count" integer NOT NULL DEFAULT (0), "link_count" integer NOT NULL DEFAULT (0), "text_count" integer NOT NULL DEFAULT (0), "post_id" integer NOT NULL, "organization_id" integer NOT NULL, "date_ms" bigint NOT NULL, PRIMARY KEY ("post_id", "organization_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_post_organization_organization" ON "post_organization" ("organization_id", "date_ms", "post_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "post_stock" ("count" integer NOT NULL, "embed_count" integer NOT NULL DEFAULT (0), "link_count" integer NOT NULL DEFAULT (0), "text_count" integer NOT NULL DEFAULT (0), "post_id" integer NOT NULL, "stock_id" integer NOT NULL, "date_ms" bigint NOT NULL, PRIMARY KEY ("post_id", "stock_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_post_stock_stock" ON "post_stock" ("stock_id", "date_ms", "post_id") `);
    await queryRunner.query(
      `CREATE TABLE "post_tag" ("post_id" integer NOT NULL, "tag_id" integer NOT NULL, "position" integer NOT NULL, "date_ms" bigint NOT NULL, PRIMARY KEY ("post_id", "tag_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_post_tag_tag" ON "post_tag" ("tag_id", "date_ms", "post_id") `);
    await queryRunner.query(
      `CREATE TABLE "source_file" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "archive_id" integer NOT NULL, "path" text NOT NULL, "size" bigint NOT NULL, "mtime_ms" bigint NOT NULL, "file_hash" text NOT NULL, "status" text NOT NULL, "reason" text, "url" text)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_source_file_url" ON "source_file" ("url") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_source_file_path" ON "source_file" ("archive_id", "path") `);
    await queryRunner.query(
      `CREATE TABLE "stock" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "symbol" text NOT NULL, "code" text NOT NULL, "market" text NOT NULL, "market_id" integer, "exchange" text, "secid" text, "name" text, "organization_id" integer, "coverage_count" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_stock_symbol" ON "stock" ("symbol") `);
    await queryRunner.query(`CREATE INDEX "ix_stock_code" ON "stock" ("code") `);
    await queryRunner.query(`CREATE INDEX "ix_stock_secid" ON "stock" ("secid") `);
    await queryRunner.query(`CREATE INDEX "ix_stock_name" ON "stock" ("name") `);
    await queryRunner.query(`CREATE INDEX "ix_stock_organization" ON "stock" ("organization_id") `);
    await queryRunner.query(
      `CREATE TABLE "tag" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" text NOT NULL, "slug" text NOT NULL, "post_count" integer NOT NULL DEFAULT (0))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "ux_tag_name" ON "tag" ("name") `);
    await queryRunner.query(`CREATE INDEX "ix_tag_slug" ON "tag" ("slug") `);
    // Full-text index over CJK bigram tokens (src/ingest/search): FTS5 trigram cannot match
    // two-character words. Contentless: the text lives in post; rowid = post.id.
    await queryRunner.query(
      `CREATE VIRTUAL TABLE "post_fts" USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "post_fts"`);
    await queryRunner.query(`DROP INDEX "ix_tag_slug"`);
    await queryRunner.query(`DROP INDEX "ux_tag_name"`);
    await queryRunner.query(`DROP TABLE "tag"`);
    await queryRunner.query(`DROP INDEX "ix_stock_organization"`);
    await queryRunner.query(`DROP INDEX "ix_stock_name"`);
    await queryRunner.query(`DROP INDEX "ix_stock_secid"`);
    await queryRunner.query(`DROP INDEX "ix_stock_code"`);
    await queryRunner.query(`DROP INDEX "ux_stock_symbol"`);
    await queryRunner.query(`DROP TABLE "stock"`);
    await queryRunner.query(`DROP INDEX "ux_source_file_path"`);
    await queryRunner.query(`DROP INDEX "ix_source_file_url"`);
    await queryRunner.query(`DROP TABLE "source_file"`);
    await queryRunner.query(`DROP INDEX "ix_post_tag_tag"`);
    await queryRunner.query(`DROP TABLE "post_tag"`);
    await queryRunner.query(`DROP INDEX "ix_post_stock_stock"`);
    await queryRunner.query(`DROP TABLE "post_stock"`);
    await queryRunner.query(`DROP INDEX "ix_post_organization_organization"`);
    await queryRunner.query(`DROP TABLE "post_organization"`);
    await queryRunner.query(`DROP INDEX "ix_post_category_category"`);
    await queryRunner.query(`DROP TABLE "post_category"`);
    await queryRunner.query(`DROP INDEX "ix_post_board_board"`);
    await queryRunner.query(`DROP TABLE "post_board"`);
    await queryRunner.query(`DROP INDEX "ix_post_date"`);
    await queryRunner.query(`DROP INDEX "ix_post_publisher"`);
    await queryRunner.query(`DROP INDEX "ix_post_path"`);
    await queryRunner.query(`DROP INDEX "ix_post_source_url"`);
    await queryRunner.query(`DROP INDEX "ix_post_slug"`);
    await queryRunner.query(`DROP INDEX "ux_post_url"`);
    await queryRunner.query(`DROP TABLE "post"`);
    await queryRunner.query(`DROP INDEX "ux_organization_name"`);
    await queryRunner.query(`DROP TABLE "organization"`);
    await queryRunner.query(`DROP INDEX "ux_category_slug"`);
    await queryRunner.query(`DROP TABLE "category"`);
    await queryRunner.query(`DROP INDEX "ux_board_code"`);
    await queryRunner.query(`DROP TABLE "board"`);
    await queryRunner.query(`DROP INDEX "ux_archive_root"`);
    await queryRunner.query(`DROP TABLE "archive"`);
  }
}

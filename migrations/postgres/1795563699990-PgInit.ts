import { MigrationInterface, QueryRunner } from 'typeorm';

// The PostgreSQL schema: the entities as TypeORM generates them for PostgreSQL (text in byte order,
// COLLATE "C", so orderings and unique keys agree with SQLite), plus what TypeORM cannot model: the
// search index over the same CJK bigram tokens as SQLite's FTS5 table, and a data version.

/** Tables whose rows the API serves. */
const SERVED_TABLES = [
  'post',
  'post_category',
  'post_tag',
  'post_stock',
  'post_board',
  'post_organization',
  'post_search',
  'category',
  'tag',
  'stock',
  'board',
  'organization',
];

export class PgInit1795563699990 implements MigrationInterface {
  name = 'PgInit1795563699990';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "archive" ("id" SERIAL NOT NULL, "root" text COLLATE "C" NOT NULL, "config_hash" text COLLATE "C" NOT NULL, CONSTRAINT "PK_6493b19677ebfecfcf5281f4233" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ux_archive_root" ON "archive" ("root")`);
    await q.query(
      `CREATE TABLE "board" ("id" SERIAL NOT NULL, "code" text COLLATE "C" NOT NULL, "secid" text COLLATE "C" NOT NULL, "name" text COLLATE "C", "post_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_865a0f2e22c140d261b1df80eb1" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ux_board_code" ON "board" ("code")`);
    await q.query(
      `CREATE TABLE "category" ("id" SERIAL NOT NULL, "name" text COLLATE "C" NOT NULL, "slug" text COLLATE "C" NOT NULL, "title" text COLLATE "C", "post_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_9c4e4a89e3674fc9f382d733f03" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ux_category_slug" ON "category" ("slug")`);
    await q.query(
      `CREATE TABLE "organization" ("id" SERIAL NOT NULL, "name" text COLLATE "C" NOT NULL, "post_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_472c1f99a32def1b0abb219cd67" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ux_organization_name" ON "organization" ("name")`);
    await q.query(
      `CREATE TABLE "post" ("id" SERIAL NOT NULL, "url" text COLLATE "C" NOT NULL, "slug" text COLLATE "C" NOT NULL, "title" text COLLATE "C" NOT NULL, "date_ms" bigint NOT NULL, "date_offset" integer NOT NULL, "excerpt" text COLLATE "C" NOT NULL, "html" text COLLATE "C" NOT NULL, "text" text COLLATE "C" NOT NULL, "body" text COLLATE "C" NOT NULL, "front_matter" text COLLATE "C" NOT NULL, "source_url" text COLLATE "C", "archive_id" integer NOT NULL, "path" text COLLATE "C" NOT NULL, "content_hash" text COLLATE "C" NOT NULL, "publisher_id" integer, CONSTRAINT "PK_be5fda3aac270b134ff9c21cdee" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ux_post_url" ON "post" ("url")`);
    await q.query(`CREATE INDEX "ix_post_slug" ON "post" ("slug")`);
    await q.query(`CREATE INDEX "ix_post_source_url" ON "post" ("source_url")`);
    await q.query(`CREATE INDEX "ix_post_path" ON "post" ("path")`);
    await q.query(`CREATE INDEX "ix_post_publisher" ON "post" ("publisher_id", "date_ms")`);
    await q.query(`CREATE INDEX "ix_post_date" ON "post" ("date_ms", "id")`);
    await q.query(
      `CREATE TABLE "post_board" ("count" integer NOT NULL, "embed_count" integer NOT NULL DEFAULT '0', "link_count" integer NOT NULL DEFAULT '0', "text_count" integer NOT NULL DEFAULT '0', "post_id" integer NOT NULL, "board_id" integer NOT NULL, "date_ms" bigint NOT NULL, CONSTRAINT "PK_17d3b6ff272adb883f9a70ae986" PRIMARY KEY ("post_id", "board_id"))`,
    );
    await q.query(`CREATE INDEX "ix_post_board_board" ON "post_board" ("board_id", "date_ms", "post_id")`);
    await q.query(
      `CREATE TABLE "post_category" ("post_id" integer NOT NULL, "category_id" integer NOT NULL, "position" integer NOT NULL, "date_ms" bigint NOT NULL, CONSTRAINT "PK_adbadf9ed503800035d1ddcb331" PRIMARY KEY ("post_id", "category_id"))`,
    );
    await q.query(`CREATE INDEX "ix_post_category_category" ON "post_category" ("category_id", "date_ms", "post_id")`);
    await q.query(
      `CREATE TABLE "post_organization" ("count" integer NOT NULL, "embed_count" integer NOT NULL DEFAULT '0', "link_count" integer NOT NULL DEFAULT '0', "text_count" integer NOT NULL DEFAULT '0', "post_id" integer NOT NULL, "organization_id" integer NOT NULL, "date_ms" bigint NOT NULL, CONSTRAINT "PK_e4f775f58c6dfc8a1d1fbb87463" PRIMARY KEY ("post_id", "organization_id"))`,
    );
    await q.query(
      `CREATE INDEX "ix_post_organization_organization" ON "post_organization" ("organization_id", "date_ms", "post_id")`,
    );
    await q.query(
      `CREATE TABLE "post_stock" ("count" integer NOT NULL, "embed_count" integer NOT NULL DEFAULT '0', "link_count" integer NOT NULL DEFAULT '0', "text_count" integer NOT NULL DEFAULT '0', "post_id" integer NOT NULL, "stock_id" integer NOT NULL, "date_ms" bigint NOT NULL, CONSTRAINT "PK_7d6ddc150e04367dac3d5ccbf03" PRIMARY KEY ("post_id", "stock_id"))`,
    );
    await q.query(`CREATE INDEX "ix_post_stock_stock" ON "post_stock" ("stock_id", "date_ms", "post_id")`);
    await q.query(
      `CREATE TABLE "post_tag" ("post_id" integer NOT NULL, "tag_id" integer NOT NULL, "position" integer NOT NULL, "date_ms" bigint NOT NULL, CONSTRAINT "PK_c6d49aa86322a6f58c39ea25a5d" PRIMARY KEY ("post_id", "tag_id"))`,
    );
    await q.query(`CREATE INDEX "ix_post_tag_tag" ON "post_tag" ("tag_id", "date_ms", "post_id")`);
    await q.query(
      `CREATE TABLE "source_file" ("id" SERIAL NOT NULL, "archive_id" integer NOT NULL, "path" text COLLATE "C" NOT NULL, "size" bigint NOT NULL, "mtime_ms" bigint NOT NULL, "file_hash" text COLLATE "C" NOT NULL, "status" text COLLATE "C" NOT NULL, "reason" text COLLATE "C", "url" text COLLATE "C", CONSTRAINT "PK_dc9b2afd84eb59641fafff82ea6" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "ix_source_file_url" ON "source_file" ("url")`);
    await q.query(`CREATE UNIQUE INDEX "ux_source_file_path" ON "source_file" ("archive_id", "path")`);
    await q.query(
      `CREATE TABLE "stock" ("id" SERIAL NOT NULL, "symbol" text COLLATE "C" NOT NULL, "code" text COLLATE "C" NOT NULL, "market" text COLLATE "C" NOT NULL, "market_id" integer, "exchange" text COLLATE "C", "secid" text COLLATE "C", "name" text COLLATE "C", "organization_id" integer, "coverage_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_092bc1fc7d860426a1dec5aa8e9" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ux_stock_symbol" ON "stock" ("symbol")`);
    await q.query(`CREATE INDEX "ix_stock_code" ON "stock" ("code")`);
    await q.query(`CREATE INDEX "ix_stock_secid" ON "stock" ("secid")`);
    await q.query(`CREATE INDEX "ix_stock_name" ON "stock" ("name")`);
    await q.query(`CREATE INDEX "ix_stock_organization" ON "stock" ("organization_id")`);
    await q.query(
      `CREATE TABLE "tag" ("id" SERIAL NOT NULL, "name" text COLLATE "C" NOT NULL, "slug" text COLLATE "C" NOT NULL, "post_count" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_8e4052373c579afc1471f526760" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "ux_tag_name" ON "tag" ("name")`);
    await q.query(`CREATE INDEX "ix_tag_slug" ON "tag" ("slug")`);
    // Search: one tsvector per post built from the tokens src/ingest/search makes (title weight A,
    // body weight D), matched with tsquery phrases of the same tokens.
    await q.query(
      `CREATE TABLE "post_search" ("post_id" integer NOT NULL, "tsv" tsvector NOT NULL, CONSTRAINT "PK_post_search" PRIMARY KEY ("post_id"))`,
    );
    await q.query(`CREATE INDEX "ix_post_search_tsv" ON "post_search" USING GIN ("tsv")`);
    // Moves with every statement that changes what the API serves, whoever runs it (an import, a
    // hand-made fix): the response cache keys on it, as on SQLite's data_version. Statement-level
    // triggers cost one row update per statement, not per row.
    await q.query(
      `CREATE TABLE "data_version" ("id" integer NOT NULL CHECK ("id" = 1), "version" bigint NOT NULL, CONSTRAINT "PK_data_version" PRIMARY KEY ("id"))`,
    );
    await q.query(`INSERT INTO "data_version" ("id", "version") VALUES (1, 0)`);
    await q.query(`CREATE FUNCTION "bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1; RETURN NULL; END $$`);
    for (const t of SERVED_TABLES) {
      await q.query(
        `CREATE TRIGGER "${t}_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "${t}" FOR EACH STATEMENT EXECUTE FUNCTION "bump_data_version"()`,
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const t of SERVED_TABLES) await q.query(`DROP TRIGGER "${t}_data_version" ON "${t}"`);
    await q.query(`DROP FUNCTION "bump_data_version"()`);
    for (const t of [
      'data_version',
      'post_search',
      'tag',
      'stock',
      'source_file',
      'post_tag',
      'post_stock',
      'post_organization',
      'post_category',
      'post_board',
      'post',
      'organization',
      'category',
      'board',
      'archive',
    ])
      await q.query(`DROP TABLE "${t}"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

// The post table rebuilt with its large columns (html, text, body, front matter) last: SQLite
// stores a row's start on its b-tree page and the rest in overflow pages, and reading a column
// walks the row up to it. Lists of posts read the small columns only; with publisher_id and the
// path after 15 KB of text, every post listed cost five page reads. Ids are kept (the search index
// and the links refer to them).

const SMALL = [
  '"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL',
  '"url" text NOT NULL',
  '"slug" text NOT NULL',
  '"title" text NOT NULL',
  '"date_ms" bigint NOT NULL',
  '"date_offset" integer NOT NULL',
  '"excerpt" text NOT NULL',
  '"source_url" text',
  '"archive_id" integer NOT NULL',
  '"path" text NOT NULL',
  '"content_hash" text NOT NULL',
  '"publisher_id" integer',
];
const LARGE = ['"html" text NOT NULL', '"text" text NOT NULL', '"body" text NOT NULL', '"front_matter" text NOT NULL'];

export class PostLargeColumnsLast1795563699995 implements MigrationInterface {
  name = 'PostLargeColumnsLast1795563699995';

  public async up(q: QueryRunner): Promise<void> {
    const indexes = (await q.query(
      `SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'post' AND sql IS NOT NULL`,
    )) as { sql: string }[];
    const columns = [...SMALL, ...LARGE];
    const names = columns.map((c) => c.slice(0, c.indexOf(' '))).join(', ');
    await q.query(`CREATE TABLE "post_rebuilt" (${columns.join(', ')})`);
    await q.query(`INSERT INTO "post_rebuilt" (${names}) SELECT ${names} FROM "post" ORDER BY "id"`);
    await q.query(`DROP TABLE "post"`);
    await q.query(`ALTER TABLE "post_rebuilt" RENAME TO "post"`);
    for (const { sql } of indexes) await q.query(sql);
  }

  public async down(): Promise<void> {
    // The column order is storage only; the old order holds the same data.
  }
}

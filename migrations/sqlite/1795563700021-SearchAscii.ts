import { MigrationInterface, QueryRunner } from 'typeorm';
import { refoldSqliteSearch } from '../../src/db/search-refold';

// Search tokens come folded as unicode61 folds them (src/ingest/search/fts-fold.ts), so the
// full-text table uses FTS5's cheaper `ascii` tokenizer: made again, and every stored post's
// tokens written to it.

export class SearchAscii1795563700021 implements MigrationInterface {
  name = 'SearchAscii1795563700021';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_fts"`);
    await q.query(
      `CREATE VIRTUAL TABLE "post_fts" USING fts5(title, body, content='', contentless_delete=1, tokenize='ascii')`,
    );
    refoldSqliteSearch(q);
  }

  // unicode61 makes the same terms of the folded tokens, so the older table answers as this one.
  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "post_fts"`);
    await q.query(
      `CREATE VIRTUAL TABLE "post_fts" USING fts5(title, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`,
    );
    refoldSqliteSearch(q);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { refoldPostgresSearch } from '../../src/db/search-refold';

// Search tokens come folded as SQLite's unicode61 tokenizer folds them (case, diacritics:
// src/ingest/search/fts-fold.ts): the tsvectors of the stored posts whose tokens that changes are
// made again, so PostgreSQL finds `café` for `cafe` as SQLite does. The others (in a Chinese
// archive, nearly all) are read and left as they are.

export class PgSearchUnicodeFold1795563700020 implements MigrationInterface {
  name = 'PgSearchUnicodeFold1795563700020';

  public async up(q: QueryRunner): Promise<void> {
    await refoldPostgresSearch(q, 'folding');
  }

  // The unfolded tokens cannot be made again by this build; an older build re-importing writes its own.
  public async down(): Promise<void> {}
}

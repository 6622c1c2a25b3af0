import { MigrationInterface, QueryRunner } from 'typeorm';
import { refoldPostgresSearch } from '../../src/db/search-refold';

// Search tokens come folded as SQLite's unicode61 tokenizer folds them (case, diacritics:
// src/ingest/search/fts-fold.ts): the stored posts' tsvectors are made again, so PostgreSQL finds
// `café` for `cafe` as SQLite does.

export class PgSearchUnicodeFold1795563700020 implements MigrationInterface {
  name = 'PgSearchUnicodeFold1795563700020';

  public async up(q: QueryRunner): Promise<void> {
    await refoldPostgresSearch(q);
  }

  // The unfolded tokens cannot be made again by this build; an older build re-importing writes its own.
  public async down(): Promise<void> {}
}

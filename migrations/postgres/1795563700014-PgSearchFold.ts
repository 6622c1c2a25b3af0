import { MigrationInterface, QueryRunner } from 'typeorm';
import { refoldPostgresSearch } from '../../src/db/search-refold';

// Search folds traditional Han characters to simplified ones (src/ingest/search/fold.ts): the
// stored posts' tsvectors are made again so old posts answer folded queries.

export class PgSearchFold1795563700014 implements MigrationInterface {
  name = 'PgSearchFold1795563700014';

  public async up(q: QueryRunner): Promise<void> {
    await refoldPostgresSearch(q);
  }

  // The unfolded tokens cannot be made again by this build; folded ones still answer every
  // simplified query, and an older build re-importing writes its own.
  public async down(): Promise<void> {}
}

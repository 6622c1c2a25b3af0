import { MigrationInterface, QueryRunner } from 'typeorm';
import { refoldSqliteSearch } from '../../src/db/search-refold';

// Search folds traditional Han characters to simplified ones (src/ingest/search/fold.ts): the
// stored posts' tokens are made again so old posts answer folded queries.

export class SearchFold1795563700015 implements MigrationInterface {
  name = 'SearchFold1795563700015';

  public async up(q: QueryRunner): Promise<void> {
    refoldSqliteSearch(q);
  }

  // The unfolded tokens cannot be made again by this build; folded ones still answer every
  // simplified query, and an older build re-importing writes its own.
  public async down(): Promise<void> {}
}

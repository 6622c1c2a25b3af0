import { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildKindSql } from '../../src/db/writes/read-model';

// Coverage rows of kind `post` (entity 0): all posts per day and per month, so the facets of a date
// range (or of every post) read days and months, not posts; and the days of a range for every
// entity of a kind in an index of their own (covering: the day rows' key leads with the entity).

export class CoverageAllPosts1795563700023 implements MigrationInterface {
  name = 'CoverageAllPosts1795563700023';

  public async up(q: QueryRunner): Promise<void> {
    for (const sql of rebuildKindSql('post')) await q.query(sql);
    await q.query(`CREATE INDEX "ix_coverage_day_span" ON "coverage_day" ("kind", "day", "entity_id", "posts")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_coverage_day_span"`);
    await q.query(`DELETE FROM coverage_day WHERE kind = 'post'`);
    await q.query(`DELETE FROM coverage_month WHERE kind = 'post'`);
  }
}

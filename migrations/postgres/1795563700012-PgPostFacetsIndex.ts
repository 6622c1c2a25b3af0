import { MigrationInterface, QueryRunner } from 'typeorm';

// A post's date and publisher by id, as on SQLite (an index-only scan for the facets' set).

export class PgPostFacetsIndex1795563700012 implements MigrationInterface {
  name = 'PgPostFacetsIndex1795563700012';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX "ix_post_facets" ON "post" ("id", "date_ms", "publisher_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_post_facets"`);
  }
}

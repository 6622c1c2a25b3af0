import { BACKEND, tempDatabase } from '../helpers/db';

test('migrations build exactly the schema the entities describe', async () => {
  const t = await tempDatabase();
  const pending = (await t.ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  if (BACKEND === 'postgres') {
    // Text is compared in byte order, as in SQLite (COLLATE "C"), which the entities do not say:
    // TypeORM would drop it, rebuilding the indexes on such columns it then treats as changed.
    // Nothing else may differ.
    const collation = /^ALTER TABLE "\w+" ALTER COLUMN "\w+" TYPE text COLLATE "undefined"$/;
    const rebuilt = (q: string) =>
      /^(DROP INDEX "\w+"\.|CREATE (UNIQUE )?INDEX )"(ux_source_file_path|ix_coverage_day_span)"/.test(q);
    expect(pending.filter((q) => !collation.test(q) && !rebuilt(q))).toEqual([]);
    const text = await t.query<{
      collation: string | null;
    }>(`SELECT collation_name AS collation FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = 'text'`);
    expect(text.length).toBeGreaterThan(30);
    expect(text.filter((c) => c.collation !== 'C')).toEqual([]);
  } else {
    expect(pending).toEqual([]);
  }
  // The search index TypeORM cannot model.
  if (BACKEND === 'postgres') {
    expect(
      await t.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE '%USING gin (tsv)%'`,
      ),
    ).toEqual([{ indexname: 'ix_post_search_tsv' }]);
  } else {
    expect(await t.query(`SELECT name FROM sqlite_master WHERE name = 'post_fts'`)).toEqual([{ name: 'post_fts' }]);
  }
  await t.close();
});

import { BACKEND, tempDatabase } from '../helpers/db';

test('migrations build exactly the schema the entities describe', async () => {
  const t = await tempDatabase();
  const pending = await t.ds.driver.createSchemaBuilder().log();
  expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  // The search index TypeORM cannot model.
  if (BACKEND === 'postgres') {
    expect(await t.query(`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexdef LIKE '%USING gin (tsv)%'`)).toEqual([{ indexname: 'ix_post_search_tsv' }]);
  } else {
    expect(await t.query(`SELECT name FROM sqlite_master WHERE name = 'post_fts'`)).toEqual([{ name: 'post_fts' }]);
  }
  await t.close();
});

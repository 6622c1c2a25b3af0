import { tempDatabase } from '../helpers/db';

test('migrations build exactly the schema the entities describe', async () => {
  const t = await tempDatabase();
  const pending = await t.ds.driver.createSchemaBuilder().log();
  expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  expect(t.db.prepare(`SELECT name FROM sqlite_master WHERE name = 'post_fts'`).get()).toEqual({ name: 'post_fts' });
  await t.close();
});

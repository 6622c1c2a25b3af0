// Is the PostgreSQL server of the PostgreSQL tests there? They run against it when it answers, and
// are skipped (with a notice) on a machine without one, unless NEWSGRAPH_REQUIRE_PG or
// `npm run test:pg` (NEWSGRAPH_TEST_DB=postgres) says it must be there: then its absence fails.
const { Client } = require('pg');

module.exports = async () => {
  const url = process.env.PG_TEST_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const required = process.env.NEWSGRAPH_REQUIRE_PG === '1' || process.env.NEWSGRAPH_TEST_DB === 'postgres';
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    process.env.NEWSGRAPH_PG_AVAILABLE = '1';
  } catch (err) {
    if (required) throw new Error(`PostgreSQL tests: cannot reach ${url}: ${err.message}`);
    process.env.NEWSGRAPH_PG_AVAILABLE = '0';
    process.stderr.write(
      `\nPostgreSQL tests skipped: cannot reach ${url} (${err.message}); set PG_TEST_URL, or NEWSGRAPH_REQUIRE_PG=1 to fail instead.\n`,
    );
  } finally {
    await client.end().catch(() => {});
  }
};

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { compactSqlite, searchIndexSegments } from '../../src/db/compact';
import { importArchives } from '../../src/db/importer';
import { queryExpression } from '../../src/ingest/search';
import { packText, type StoredText, unpackContent } from '../../src/ingest/render/packed';
import { sampleApi } from '../helpers/api';
import { BACKEND, SEED, sqliteOnly, tempDatabase } from '../helpers/db';

type Api = Awaited<ReturnType<typeof sampleApi>>;

const BIN = path.join(__dirname, '..', '..', 'bin', 'newsgraph.js');
const PAGE = `{ posts(first: 100) { edges { node { url html text } } } }`;
const SEARCH = `{ search(query: "联通", first: 20) { totalCount edges { snippet node { url } } } }`;

/** Rewrites every post's HTML and text as text, as a build before packing stored them. */
async function unpackAll(api: Api): Promise<void> {
  const rows = await api.query<{ id: number; html: StoredText; text: StoredText }>('SELECT id, html, text FROM post');
  for (const r of rows) {
    const { html, text } = unpackContent(r.html, r.text, `post ${r.id}`);
    await api.exec('UPDATE post SET html = ?, text = ? WHERE id = ?', html, text, r.id);
  }
}

sqliteOnly.describe('newsgraph compact (SQLite)', () => {
  let api: Api;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(async () => {
    if (api.ds.isInitialized) await api.close();
  });

  const kinds = async () =>
    (
      await api.query<{ k: string; n: number }>(
        `SELECT typeof(html) || '/' || typeof(text) AS k, count(*) AS n FROM post GROUP BY 1 ORDER BY 1`,
      )
    ).map((r) => `${r.k}:${r.n}`);

  const againstText = async () =>
    (await api.query<{ n: number }>(`SELECT count(*) AS n FROM post WHERE substr(html, 1, 1) = x'06'`))[0].n;

  test('packs what older builds stored as text or packed alone; every answer stays the same', async () => {
    const before = { page: await api.ok(PAGE), search: await api.ok(SEARCH) };
    expect(await againstText()).toBe(104);
    await unpackAll(api);
    expect(await kinds()).toEqual(['text/text:104']);
    // One post as a build before packing against the text stored it: its HTML and text each packed alone.
    const [one] = await api.query<{ id: number; html: string; text: string }>(
      'SELECT id, html, text FROM post ORDER BY id LIMIT 1',
    );
    await api.exec('UPDATE post SET html = ?, text = ? WHERE id = ?', packText(one.html), packText(one.text), one.id);
    // One half-packed: its HTML packed alone, its text as text.
    const [two] = await api.query<{ id: number; html: string }>(
      'SELECT id, html FROM post WHERE id > ? LIMIT 1',
      one.id,
    );
    await api.exec('UPDATE post SET html = ? WHERE id = ?', packText(two.html), two.id);
    const seen: number[] = [];
    const r = compactSqlite(api.db, { vacuum: true, onProgress: (done) => seen.push(done) });
    expect(r.packed).toBe(104);
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(104);
    expect(r.bytesAfter).toBeLessThan(r.bytesBefore);
    expect(r.searchSegmentsAfter).toBe(1);
    expect(await kinds()).toEqual(['blob/blob:104']);
    expect(await againstText()).toBe(104);
    expect({ page: await api.ok(PAGE), search: await api.ok(SEARCH) }).toEqual(before);
  });

  test('a packed database has nothing to pack; without vacuum the file keeps its size', () => {
    const r = compactSqlite(api.db, { vacuum: false });
    expect(r).toEqual({
      packed: 0,
      bytesBefore: r.bytesAfter,
      bytesAfter: r.bytesAfter,
      vacuumed: false,
      pageSizeBefore: 8192,
      pageSizeAfter: 8192,
      searchSegmentsBefore: 1,
      searchSegmentsAfter: 1,
    });
  });

  test('the CLI packs a database file and says what it did', async () => {
    await unpackAll(api);
    await api.close();
    const out = execFileSync('node', [BIN, 'compact', '--db', api.file, '--no-progress'], { encoding: 'utf8' });
    expect(out).toMatch(
      /^Packed 104 posts in [\d.]+ s; search index 1 -> 1 segments; database [\d.]+ MiB -> [\d.]+ MiB\n$/,
    );
    const again = execFileSync('node', [BIN, 'compact', '--db', api.file, '--no-vacuum', '--no-progress'], {
      encoding: 'utf8',
    });
    expect(again).toMatch(
      /^Packed 0 posts in [\d.]+ s; search index 1 -> 1 segments; database [\d.]+ MiB \(not vacuumed\)\n$/,
    );
  });
});

sqliteOnly.describe('the search index merged by compact', () => {
  test('an import in many transactions leaves segments; compact merges them into one, every match the same', async () => {
    const t = await tempDatabase();
    try {
      await importArchives(t.writeStore, [SEED], { batchSize: 5 });
      // FTS5 keeps a segment's pages at rowids from segment id x 2^37; the tombstones' from 2^53.
      const distinct = () =>
        (
          t.db
            .prepare('SELECT count(DISTINCT id >> 37) AS n FROM post_fts_data WHERE id > 10 AND id < (1 << 53)')
            .get() as { n: number }
        ).n;
      const before = searchIndexSegments(t.db);
      expect(before).toBeGreaterThan(1);
      expect(before).toBe(distinct());
      // Two-character words from every title, each with the posts it matches.
      const titles = t.db.prepare('SELECT title FROM post ORDER BY id').all() as { title: string }[];
      const words = [...new Set(titles.map((r) => r.title.slice(0, 2)))];
      const match = () =>
        words.map((w) =>
          t.db.prepare('SELECT rowid FROM post_fts WHERE post_fts MATCH ? ORDER BY rowid').all(queryExpression(w)),
        );
      const answers = match();
      expect(answers.filter((rows) => rows.length > 0).length).toBeGreaterThan(words.length / 2);
      const r = compactSqlite(t.db, { vacuum: false });
      expect([r.searchSegmentsBefore, r.searchSegmentsAfter]).toEqual([before, 1]);
      expect(distinct()).toBe(1);
      expect(match()).toEqual(answers);
    } finally {
      await t.close();
    }
  });
});

(BACKEND === 'postgres' ? describe : describe.skip)('newsgraph compact (PostgreSQL)', () => {
  test('says there is nothing to do: TOAST compresses the text itself', async () => {
    const api = await sampleApi();
    try {
      const out = execFileSync('node', [BIN, 'compact', '--db', api.file], { encoding: 'utf8' });
      expect(out).toBe('PostgreSQL compresses post HTML and text itself (TOAST): nothing to compact\n');
    } finally {
      await api.close();
    }
  });
});

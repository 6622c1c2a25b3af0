import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Database } from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { importArchives, type ImportOptions, type ImportSummary } from '../../src/db/importer';
import { nativeSqlite } from '../../src/db/native';
import { searchVector, searchVectorBinary } from '../../src/ingest/search/tsvector';
import { writeStoreOf } from '../../src/db/store';
import { type StoredText, unpackContent } from '../../src/ingest/render/packed';
import { copyTree, SEED, tempDir, withPostgres } from '../helpers/db';
import { tempPostgres } from '../helpers/pg';

// Both databases execute the import planner's plans: every test imports the same archive into
// both and compares every table by what identifies its rows (permalinks, paths, symbols, codes,
// names), not by ids, which each database assigns on its own.

type Pg = Awaited<ReturnType<typeof tempPostgres>>;
interface Sqlite {
  ds: DataSource;
  db: Database;
  close: () => Promise<void>;
}

/** A migrated SQLite database whatever the suite's backend (the reference to compare with). */
async function tempSqlite(): Promise<Sqlite> {
  const ds = await openDatabase(path.join(tempDir('newsgraph-db-'), 'test.db'));
  return { ds, db: nativeSqlite(ds), close: () => ds.destroy() };
}

const link = (table: string, target: string, key: string, rest: string) =>
  `SELECT p.url, e.${key} AS target, ${rest} FROM ${table} x JOIN post p ON p.id = x.post_id JOIN ${target} e ON e.id = x.${target}_id`;

/** Every table, its ids replaced by the natural keys of the rows they point at. */
const TABLES: Record<string, string> = {
  archive: 'SELECT root, config_hash FROM archive',
  source_file: `SELECT a.root, f.path, f.size, f.mtime_ms, f.file_hash, f.status, f.reason, f.url
                  FROM source_file f JOIN archive a ON a.id = f.archive_id`,
  post: `SELECT p.url, p.slug, p.title, p.date_ms, p.date_offset, p.excerpt, p.html, p.text,
                p.source_url, a.root, p.path, p.content_hash, o.name AS publisher
           FROM post p JOIN archive a ON a.id = p.archive_id LEFT JOIN organization o ON o.id = p.publisher_id`,
  category: 'SELECT name, slug, title, post_count FROM category',
  tag: 'SELECT name, slug, post_count FROM tag',
  stock: `SELECT s.symbol, s.code, s.market, s.market_id, s.exchange, s.secid, s.name, o.name AS issuer, s.coverage_count
            FROM stock s LEFT JOIN organization o ON o.id = s.organization_id`,
  board: 'SELECT code, secid, name, post_count FROM board',
  organization: 'SELECT name, post_count FROM organization',
  post_category: link('post_category', 'category', 'slug', 'x.position, x.date_ms'),
  post_tag: link('post_tag', 'tag', 'name', 'x.position, x.date_ms'),
  post_stock: link('post_stock', 'stock', 'symbol', 'x.count, x.embed_count, x.link_count, x.text_count, x.date_ms'),
  post_board: link('post_board', 'board', 'code', 'x.count, x.embed_count, x.link_count, x.text_count, x.date_ms'),
  post_organization: link(
    'post_organization',
    'organization',
    'name',
    'x.count, x.embed_count, x.link_count, x.text_count, x.date_ms',
  ),
  // The same feed, numbered alike; each change's post by permalink (null once removed).
  post_change: 'SELECT c.seq, c.kind, c.url, p.url AS post FROM post_change c LEFT JOIN post p ON p.id = c.post_id',
};
const BIGINT = new Set(['date_ms', 'size', 'mtime_ms']);

/** Bigints as numbers; a post's HTML and text unpacked (SQLite packs them: src/ingest/render/packed.ts). */
function plainRow(r: Record<string, unknown>): Record<string, unknown> {
  const out = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, BIGINT.has(k) && v !== null ? Number(v) : v]));
  if ('html' in r) Object.assign(out, unpackContent(r.html as StoredText, r.text as StoredText, String(r.url)));
  return out;
}

/** Rows with bigints as numbers and text unpacked, in one order whatever each database's collation. */
function normalise(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .map(plainRow)
    .map((r) => [JSON.stringify(r), r] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => r);
}

async function dump(s: Sqlite, p: Pg, table: string) {
  const sql = TABLES[table];
  return {
    sqlite: normalise(s.db.prepare(sql).all() as Record<string, unknown>[]),
    pg: normalise((await p.pool.query(sql)).rows),
  };
}

async function expectSameRows(s: Sqlite, p: Pg): Promise<void> {
  for (const table of Object.keys(TABLES)) {
    const { sqlite, pg } = await dump(s, p, table);
    expect({ table, rows: pg }).toEqual({ table, rows: sqlite });
  }
  // One search row per post on both sides.
  const fts = s.db.prepare('SELECT p.url FROM post_fts f JOIN post p ON p.id = f.rowid ORDER BY p.url').all() as {
    url: string;
  }[];
  const tsv = (await p.pool.query('SELECT p.url FROM post_search s JOIN post p ON p.id = s.post_id')).rows;
  expect(normalise(tsv)).toEqual(normalise(fts));
  expect(fts).toHaveLength(Number((s.db.prepare('SELECT count(*) AS n FROM post').get() as { n: number }).n));
}

const strip = ({ elapsedMs: _elapsed, ...rest }: ImportSummary) => rest;

/** Imports into both with fresh writers (as two CLI runs would); the summaries must agree. */
async function importBoth(
  s: Sqlite,
  p: Pg,
  roots: string[],
  opts: ImportOptions = {},
): Promise<Omit<ImportSummary, 'elapsedMs'>> {
  const a = await importArchives(writeStoreOf(s.ds), roots, { workers: 0, ...opts });
  const b = await importArchives(writeStoreOf(p.ds), roots, { workers: 0, ...opts });
  expect(strip(b)).toEqual(strip(a));
  return strip(a);
}

const dataVersion = async (p: Pg) => Number((await p.pool.query('SELECT version FROM data_version')).rows[0].version);

/** Rewrites a file and moves its mtime, so the next import reads it whatever its size. */
function rewrite(file: string, content: string): void {
  fs.writeFileSync(file, content);
  const t = new Date(Date.now() + 60_000);
  fs.utimesSync(file, t, t);
}

withPostgres('PgWriter on the finews sample: the same rows as SqliteWriter', () => {
  let s: Sqlite;
  let p: Pg;
  let archive: string;
  const twin = '_posts/2021-12-08-202112082206672930.md';

  beforeAll(async () => {
    [s, p] = await Promise.all([tempSqlite(), tempPostgres()]);
    archive = copyTree(SEED, path.join(tempDir(), 'finews'));
  });
  afterAll(async () => {
    await s?.close();
    await p?.close();
  });

  test('the migration ran in the test schema (options pass through TypeORM to pg)', async () => {
    const { rows } = await p.pool.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename IN ('post', 'post_search', 'data_version')`,
      [p.schema],
    );
    expect(rows[0].n).toBe(3);
    expect((await p.pool.query('SELECT current_schema() AS s')).rows[0].s).toBe(p.schema);
  });

  test('first import: same summary, same rows, the _posts file wins over its old_post twin', async () => {
    const v0 = await dataVersion(p);
    const sum = await importBoth(s, p, [archive]);
    expect(sum.new).toBe(104);
    expect(sum.duplicates).toEqual([
      { path: 'old_post/2021-12-08-202112082206672930.md', reason: expect.stringContaining(twin) },
    ]);
    await expectSameRows(s, p);
    expect(
      (await p.pool.query(`SELECT path FROM post WHERE url = '/emnews/2021/12/08/202112082206672930.html'`)).rows[0]
        .path,
    ).toBe(twin);
    expect(await dataVersion(p)).toBeGreaterThan(v0);
  });

  test('a re-import of unchanged files writes nothing on PostgreSQL', async () => {
    const v0 = await dataVersion(p);
    const spy = jest.spyOn(Client.prototype, 'query');
    try {
      const sum = await importBoth(s, p, [archive]);
      expect(sum).toMatchObject({ new: 0, updated: 0, unchanged: 104, pruned: 0 });
      const statements = spy.mock.calls.map(([q]) => (typeof q === 'string' ? q : (q as { text: string }).text));
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.filter((q) => /^\s*(INSERT|UPDATE|DELETE|BEGIN)\b/i.test(q))).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(await dataVersion(p)).toBe(v0);
    await expectSameRows(s, p);
  });

  test('a changed title updates exactly that post, on both', async () => {
    const file = path.join(archive, 'old_post/2022-06-16-NW202206162414061171.md');
    const before = (await p.pool.query('SELECT * FROM post ORDER BY id')).rows;
    rewrite(file, fs.readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: "一个新的标题"'));
    const sum = await importBoth(s, p, [archive]);
    expect(sum).toMatchObject({ new: 0, updated: 1, unchanged: 103 });
    await expectSameRows(s, p);
    const after = (await p.pool.query('SELECT * FROM post ORDER BY id')).rows;
    const changed = after.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[i]));
    expect(changed.map((r) => [r.path, r.title])).toEqual([
      ['old_post/2022-06-16-NW202206162414061171.md', '一个新的标题'],
    ]);
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
  });

  test('deleting the winning twin with prune: the old_post duplicate takes the permalink over, on both', async () => {
    const saved = fs.readFileSync(path.join(archive, twin));
    fs.rmSync(path.join(archive, twin));
    const sum = await importBoth(s, p, [archive], { prune: true });
    expect(sum).toMatchObject({ pruned: 1, new: 1, duplicates: [] });
    await expectSameRows(s, p);
    // Back again: the _posts file outranks the old_post file that now holds the post.
    fs.writeFileSync(path.join(archive, twin), saved);
    const back = await importBoth(s, p, [archive], { prune: true });
    expect(back).toMatchObject({ pruned: 0, updated: 1 });
    expect(back.duplicates.map((d) => d.path)).toEqual(['old_post/2021-12-08-202112082206672930.md']);
    await expectSameRows(s, p);
  });

  test('deleting an ordinary post with prune removes it and its links, on both', async () => {
    fs.rmSync(path.join(archive, 'old_post/2022-06-16-NW202206162414061171.md'));
    const sum = await importBoth(s, p, [archive], { prune: true });
    expect(sum).toMatchObject({ pruned: 1, new: 0 });
    await expectSameRows(s, p);
  });

  test('search rows match what FTS5 finds for words and phrases', async () => {
    for (const [fts, tsq] of [
      ['"中国"', `'中国'`],
      ['"联通"', `'联通'`],
      ['"2018"', `'2018'`],
      ['"蔚来"', `'蔚来'`],
      ['"人民 民币"', `'人民' <-> '民币'`],
      ['"离岸 岸人 人民"', `'离岸' <-> '岸人' <-> '人民'`],
    ]) {
      const a = (
        s.db.prepare('SELECT p.url FROM post_fts f JOIN post p ON p.id = f.rowid WHERE post_fts MATCH ?').all(fts) as {
          url: string;
        }[]
      )
        .map((r) => r.url)
        .sort();
      const b = (
        await p.pool.query('SELECT p.url FROM post_search s JOIN post p ON p.id = s.post_id WHERE tsv @@ $1::tsquery', [
          tsq,
        ])
      ).rows
        .map((r) => r.url as string)
        .sort();
      expect({ fts, urls: b }).toEqual({ fts, urls: a });
      expect({ fts, found: a.length > 0 }).toEqual({ fts, found: true });
    }
  });
});

/** Files written by the scenario, step by step; `null` deletes. */
const post = (title: string, permalink: string, extra = '') =>
  `---\ntitle: ${title}\npermalink: ${permalink}\n${extra}---\n${title} 正文\n`;

// Batch size 500 plays every step in one batch (the in-memory path); 1 writes file by file.
withPostgres.each([500, 1])(
  'PgWriter, permalinks moving between files (batch size %i): the same rows as SqliteWriter',
  (batchSize) => {
    let s: Sqlite;
    let p: Pg;
    let root: string;
    const write = (files: Record<string, string | null>) => {
      for (const [rel, content] of Object.entries(files)) {
        const abs = path.join(root, rel);
        if (content === null) fs.rmSync(abs);
        else {
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          rewrite(abs, content);
        }
      }
    };

    beforeAll(async () => {
      [s, p] = await Promise.all([tempSqlite(), tempPostgres()]);
      root = path.join(tempDir(), 'site');
    });
    afterAll(async () => {
      await s?.close();
      await p?.close();
    });

    test('the later file in walk order outranks the earlier one (x-y/ sorts before x/)', async () => {
      write({
        'x/2022-01-01-a.md': post('A', '/p1.html', 'categories: foo\ntags: [t1, 共同]\n'),
        'x-y/2022-01-01-b.md': post('B', '/p1.html', 'categories: Foo bar\ntags: 共同\n'),
        '_posts/2022-01-02-c.md': post('C', '/p2.html', 'tags: [t2]\n'),
        'category/foo.html': '---\nlayout: category\ncategory: foo\ntitle: Foo 标题\n---\n',
        'category/foo2.html': '---\nlayout: category\ncategory: FOO\ntitle: 第二\n---\n',
        '_posts/bad-name.md': 'no date\n',
      });
      const sum = await importBoth(s, p, [root], { batchSize });
      expect(sum.duplicates.map((d) => d.path)).toEqual(['x/2022-01-01-a.md']);
      await expectSameRows(s, p);
    });

    test('a file takes over a permalink, another leaves its own, a new file takes the freed one', async () => {
      write({
        '_posts/2022-01-02-c.md': post('C2', '/p1.html', 'tags: [t2, t3]\n'), // drops /p2, outranks b at /p1
        'x/2022-01-01-a.md': post('A2', '/p3.html'), // was a duplicate: a new post
        'x-y/2022-01-01-b.md': post('B', '/p1.html', 'published: false\n'), // a duplicate by now
        'z/2022-01-03-d.md': post('D', '/p2.html', 'categories: foo\n'), // /p2 was freed earlier in the batch
      });
      const sum = await importBoth(s, p, [root], { batchSize });
      expect(sum).toMatchObject({ new: 2, updated: 1 });
      await expectSameRows(s, p);
    });

    test('prune and adoption of orphaned permalinks', async () => {
      write({
        'x/2022-01-01-a.md': post('A3', '/p1.html'), // loses to c ...
        '_posts/2022-01-02-c.md': null, // ... which is pruned: a adopts /p1
        'z/2022-01-03-d.md': null,
        'category/foo2.html': null,
      });
      const sum = await importBoth(s, p, [root], { batchSize, prune: true });
      expect(sum).toMatchObject({ pruned: 3 });
      expect((await p.pool.query(`SELECT path FROM post WHERE url = '/p1.html'`)).rows).toEqual([
        { path: 'x/2022-01-01-a.md' },
      ]);
      await expectSameRows(s, p);
    });

    test('unchanged bytes with a new mtime: only size and mtime are recorded', async () => {
      const file = path.join(root, 'x/2022-01-01-a.md');
      const t = new Date(Date.now() + 120_000);
      fs.utimesSync(file, t, t);
      const sum = await importBoth(s, p, [root], { batchSize });
      expect(sum).toMatchObject({ new: 0, updated: 0 });
      await expectSameRows(s, p);
    });
  },
);

withPostgres('PgWriter, what SQLite does not share', () => {
  let p: Pg;
  beforeAll(async () => {
    p = await tempPostgres();
  });
  afterAll(async () => p?.close());

  test('a failed batch leaves nothing behind, and the next import writes everything', async () => {
    const root = path.join(tempDir(), 'site');
    for (let i = 1; i <= 5; i++) {
      fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
      fs.writeFileSync(
        path.join(root, `_posts/2022-01-0${i}-p${i}.md`),
        post(`P${i}`, `/p${i}.html`, `categories: c${i % 2}\ntags: [t]\n`),
      );
    }
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the client as `this`
    const original = Client.prototype.query;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: any[]) {
      const sql = typeof args[0] === 'string' ? args[0] : '';
      // The second batch fails late, after its posts and links went out.
      if (
        sql.startsWith('INSERT INTO post_search') &&
        spy.mock.calls.filter(([q]) => typeof q === 'string' && q.startsWith('INSERT INTO post_search')).length === 2
      ) {
        return Promise.reject(new Error('injected failure')) as any;
      }
      return (original as any).apply(this, args);
    });
    try {
      await expect(importArchives(writeStoreOf(p.ds), [root], { workers: 0, batchSize: 3 })).rejects.toThrow(
        'injected failure',
      );
    } finally {
      spy.mockRestore();
    }
    // The first batch (3 files) committed; the second rolled back whole.
    const count = async (t: string) => Number((await p.pool.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    expect([
      await count('post'),
      await count('post_search'),
      await count('post_tag'),
      await count('source_file'),
    ]).toEqual([3, 3, 3, 3]);
    const sum = await importArchives(writeStoreOf(p.ds), [root], { workers: 0, batchSize: 3 });
    expect(sum).toMatchObject({ new: 2, unchanged: 3 });
    expect([
      await count('post'),
      await count('post_search'),
      await count('post_tag'),
      await count('source_file'),
    ]).toEqual([5, 5, 5, 5]);
    const { rows } = await p.pool.query(
      `SELECT name, post_count FROM tag UNION ALL SELECT slug, post_count FROM category ORDER BY 1`,
    );
    expect(rows).toEqual([
      { name: 'c0', post_count: 2 },
      { name: 'c1', post_count: 3 },
      { name: 't', post_count: 5 },
    ]);
    // The rolled-back batch took no seqs: the feed goes on without a gap.
    const feed = await p.pool.query('SELECT seq, kind FROM post_change ORDER BY seq');
    expect(feed.rows).toEqual([1, 2, 3, 4, 5].map((seq) => ({ seq, kind: 'ADDED' })));
  });

  test('U+0000, which PostgreSQL text cannot hold, is stored as U+FFFD', async () => {
    const root = path.join(tempDir(), 'nul');
    fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
    fs.writeFileSync(path.join(root, '_posts/2022-01-01-a.md'), '---\ntitle: "a\\0b"\ntags: ["t\\0"]\n---\nx\n');
    const sum = await importArchives(writeStoreOf(p.ds), [root], { workers: 0 });
    expect(sum).toMatchObject({ new: 1, failed: [] });
    const { rows } = await p.pool.query(
      `SELECT p.title, t.name FROM post p JOIN post_tag pt ON pt.post_id = p.id JOIN tag t ON t.id = pt.tag_id WHERE p.path = '_posts/2022-01-01-a.md'`,
    );
    expect(rows).toEqual([{ title: 'a\uFFFDb', name: 't\uFFFD' }]);
    // Unchanged on the next import: the record is compared as stored.
    expect(await importArchives(writeStoreOf(p.ds), [root], { workers: 0 })).toMatchObject({ new: 0, updated: 0 });
  });
});

describe('search vectors', () => {
  test('title weighs A from 1, body D after a gap; lexemes quoted', () => {
    expect(searchVector({ title: '中国 国联 中国', body: 'foo 中国' })).toBe(`'中国':1A,3A,6 '国联':2A 'foo':5`);
    expect(searchVector({ title: '', body: "it's a\\b" })).toBe(`'it''s':2 'a\\\\b':3`);
    expect(searchVector({ title: '', body: '' })).toBe('');
  });

  test('stays within PostgreSQL limits: positions, positions per lexeme, lexeme length, total size', () => {
    const v = searchVector({ title: '', body: [...Array(20000).fill('x'), 'y'.repeat(3000), 'z'].join(' ') });
    expect(v).toMatch(/^'x':2,3,4,/);
    expect(v.match(/'x':([\d,]+)/)![1].split(',')).toHaveLength(256);
    expect(v).toContain(`'z':16383`);
    expect(v).not.toContain('yyy');
  });

  test('a vector is its tokens read plainly, whatever the posts encoded before it', () => {
    // The definition, read plainly: tokens split on spaces, positions from 1, the title's weight A,
    // one position of gap before the body (no limit is reached here).
    const plain = (t: { title: string; body: string }): string => {
      const lists = new Map<string, string[]>();
      let pos = 0;
      const add = (text: string, weight: string) => {
        for (const token of text.split(' ')) {
          if (token === '') continue;
          pos++;
          lists.set(token, [...(lists.get(token) ?? []), `${pos}${weight}`]);
        }
      };
      add(t.title, 'A');
      pos++;
      add(t.body, '');
      const quoted = (w: string) => w.replace(/\\/g, '\\\\').replace(/'/g, "''");
      return [...lists].map(([w, l]) => `'${quoted(w)}':${l.join(',')}`).join(' ');
    };
    // 6,000 lexemes (past the table's first size), each twice, in an order that interleaves them.
    const words = Array.from({ length: 6000 }, (_, i) =>
      i % 3 ? `w${i}` : String.fromCodePoint(0x4e00 + i, 0x4e01 + i),
    );
    const many = { title: '中国 国联', body: [...words, ...words.slice().reverse()].join(' ') };
    const small = { title: 'a  b', body: " it's  a\\b 中国 a " };
    const huge = { title: '', body: Array.from({ length: 200_000 }, (_, i) => `h${i}`).join(' ') };
    const expected = [plain(small), plain(many), plain(small)];
    expect([small, many, small].map(searchVector)).toEqual(expected);
    searchVector(huge);
    expect([small, many, small].map(searchVector)).toEqual(expected);
    expect(searchVectorBinary(many).equals(searchVectorBinary(many))).toBe(true);
  });

  withPostgres('in PostgreSQL', () => {
    let p: Pg;
    beforeAll(async () => {
      p = await tempPostgres();
    });
    afterAll(async () => p?.close());

    test('the binary vectors the writer sends are the literal ones', async () => {
      const cases = [
        { title: '中国 国联 中国', body: 'foo 中国 ｆｕｌｌ 𠀀𠀁 é\u0301 x\ud800y \udc00' }, // astral, combining, lone surrogates
        { title: '', body: "it's a\\b ' \\" },
        { title: '', body: '' },
        { title: 'x', body: [...Array(20000).fill('x'), 'y'.repeat(3000), 'z', 'é'].join(' ') },
        { title: 'a b', body: Array.from({ length: 200_000 }, (_, i) => `w${i}`).join(' ') },
      ];
      const same: boolean[] = [];
      for (const c of cases) {
        // A Buffer parameter goes in binary format, as the writer sends it.
        const { rows } = await p.pool.query(
          'SELECT $1::tsvector::text = $2::tsvector::text AS same, length($1::tsvector) AS n',
          [searchVectorBinary(c), searchVector(c)],
        );
        same.push(rows[0].same);
        if (c === cases[4]) expect(rows[0].n).toBeGreaterThan(50_000);
      }
      expect(same).toEqual(cases.map(() => true));
    });

    test('a 2 MB post of distinct CJK text imports, truncated to the limits', async () => {
      const root = path.join(tempDir(), 'huge');
      fs.mkdirSync(path.join(root, '_posts'), { recursive: true });
      // 700k CJK characters, nearly every bigram distinct: ~4 MB of lexemes before truncation.
      let body = '';
      for (let i = 0, x = 1; i < 700_000; i++) {
        x = (x * 48271) % 2147483647; // a Lehmer generator: random characters, so random bigrams
        body += String.fromCodePoint(0x4e00 + (x % 20000));
      }
      fs.writeFileSync(path.join(root, '_posts/2022-01-01-huge.md'), post('巨大的文章', '/huge.html') + body);
      fs.writeFileSync(path.join(root, '_posts/2022-01-02-tiny.md'), post('小', '/tiny.html'));
      const sum = await importArchives(writeStoreOf(p.ds), [root], { workers: 0 });
      expect(sum).toMatchObject({ new: 2, failed: [] });
      const { rows } = await p.pool.query(
        `SELECT p.url, length(s.tsv) AS lexemes, (SELECT sum(octet_length(lexeme))::int FROM unnest(s.tsv)) AS bytes,
                (SELECT max(x)::int FROM unnest(s.tsv) u, unnest(u.positions) x) AS last
           FROM post_search s JOIN post p ON p.id = s.post_id ORDER BY p.url`,
      );
      expect(rows[0]).toMatchObject({ url: '/huge.html', last: 16383 });
      expect(rows[0].lexemes).toBeGreaterThan(80_000); // ~1 MB of 6-byte bigrams with one position each
      expect(rows[0].bytes).toBeLessThan(2 ** 20);
      const hit = await p.pool.query(
        `SELECT count(*)::int AS n FROM post_search WHERE tsv @@ '巨大' AND tsv @@ $1::tsquery`,
        [`'${body.slice(0, 2)}'`],
      );
      expect(hit.rows[0].n).toBe(1);
    }, 120_000);
  });
});

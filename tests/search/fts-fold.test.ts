// Search tokens are folded in JavaScript as FTS5's unicode61 tokenizer folds them, so the index can
// use the `ascii` tokenizer: the committed table is what the installed SQLite's unicode61 does, and
// an `ascii` index of our tokens holds exactly the terms, at the same positions, that unicode61
// made of the unfolded tokens; queries find the same posts.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FTS5_TOKENIZE, indexTokens, queryExpression } from '../../src/ingest/search';
import { foldHan } from '../../src/ingest/search/fold';
import { DROP, ftsFold, ftsTerms, SEPARATE } from '../../src/ingest/search/fts-fold';
import { CJK_CHARS } from '../../src/ingest/search/tokens';
import { searchVector } from '../../src/ingest/search/tsvector';
import { sampleApi, sampleApiWith, searchTitles } from '../helpers/api';
import { BACKEND } from '../helpers/db';
import { randomStrings } from '../helpers/random-strings';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deriveFtsFold, tableSource, sqliteVersion } = require('../../tools/gen-fts-fold.js') as {
  deriveFtsFold: () => { ranges: number[]; maps: number[] };
  tableSource: (table: { ranges: number[]; maps: number[] }, version: string) => string;
  sqliteVersion: () => string;
};

const UNICODE61 = 'unicode61 remove_diacritics 2';

/**
 * The tokens as they were made before folding (the reference): CJK runs as bigrams, other runs of
 * letters, digits and marks lower-cased, from the NFKC-normalized, Han-folded text.
 */
const RUN = new RegExp(`([${CJK_CHARS}]+)|([[\\p{L}\\p{N}\\p{M}]--[${CJK_CHARS}]]+)`, 'gv');
function unfoldedTokens(text: string): string {
  const tokens: string[] = [];
  for (const m of foldHan(text.normalize('NFKC')).matchAll(RUN)) {
    if (m[1] === undefined) tokens.push(m[0].toLowerCase());
    else {
      const chars = Array.from(m[1]);
      if (chars.length === 1) tokens.push(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
    }
  }
  return tokens.join(' ');
}

/** Every term instance of an FTS5 table as `doc:column:offset:term`, in order. */
function instances(db: Database.Database, table: string): string[] {
  db.exec(`CREATE VIRTUAL TABLE ${table}_v USING fts5vocab(${table}, 'instance')`);
  return (
    db.prepare(`SELECT doc, col, "offset" AS o, term FROM ${table}_v ORDER BY doc, col, "offset"`).all() as {
      doc: number;
      col: string;
      o: number;
      term: string;
    }[]
  ).map((r) => `${r.doc}:${r.col}:${r.o}:${r.term}`);
}

const FINEWS = path.join(__dirname, '..', '..', 'seeds', 'finews');
const realPosts = ['_posts', 'old_post'].flatMap((dir) =>
  fs
    .readdirSync(path.join(FINEWS, dir))
    .filter((f) => f.endsWith('.md'))
    .map((f) => fs.readFileSync(path.join(FINEWS, dir, f), 'utf8')),
);

/** Letters with diacritics, marks unicode61 drops and ones it splits at, CJK, kana, astral, ASCII. */
const POOL = [
  ...'aZ9 _-.,中国联通股份東証ｱｲウエコーヒー한국𠀀𠀁😀İıßŉǅǈǋÆØåÉéèñÑçΣσςΆάЁёДд',
  ...'\u0300\u0301\u0305\u0308\u030d\u0327\u0345\u0483\u093f\u0e31\u3099\u309a\u30a0\u30fb\u30fc\u3000\u00a0\u2163\u00b5\u00bd\u1e9e\ufb01\u9fcd\u9fff\u{2a6d6}\u{31350}\u{e0001}\u{f0000}',
];

describe('the unicode61 fold table', () => {
  test('is exactly what tools/gen-fts-fold.js reads off the installed SQLite', () => {
    const committed = fs.readFileSync(path.join(__dirname, '../../src/ingest/search/fts-fold-table.ts'), 'utf8');
    expect(committed).toBe(tableSource(deriveFtsFold(), sqliteVersion()));
  });

  test('folds to code points it keeps: folding twice changes nothing', () => {
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const to = ftsFold(cp);
      if (to === SEPARATE || to === DROP || to === cp) continue;
      if (ftsFold(to) !== to) throw new Error(`U+${cp.toString(16)} folds to U+${to.toString(16)}, which folds again`);
    }
    expect(ftsFold('É'.codePointAt(0)!)).toBe('e'.codePointAt(0));
    expect(ftsFold(0x301)).toBe(DROP);
    expect(ftsFold(0x30a0)).toBe(SEPARATE);
    expect(ftsFold('中'.codePointAt(0)!)).toBe('中'.codePointAt(0));
    expect(ftsTerms('e\u0305x')).toEqual(['e', 'x']);
    expect(ftsTerms('\u0301')).toEqual([]);
  });
});

describe(`an ${FTS5_TOKENIZE} index of folded tokens`, () => {
  const texts = [
    ...realPosts,
    ...randomStrings(POOL, 12345, 4000, 40),
    // Every 13th non-ASCII code point, inside a word and inside a CJK run.
    ...Array.from({ length: 400 }, (_, k) => {
      let s = '';
      for (let cp = 0x80 + k * 13; cp <= 0x10ffff; cp += 400 * 13)
        if (cp < 0xd800 || cp > 0xdfff) s += `a${String.fromCodePoint(cp)}b 中${String.fromCodePoint(cp)}国 `;
      return s;
    }),
  ];
  const db = new Database(':memory:');
  db.exec(`CREATE VIRTUAL TABLE ref USING fts5(title, body, tokenize='${UNICODE61}')`);
  db.exec(`CREATE VIRTUAL TABLE ours USING fts5(title, body, tokenize='${FTS5_TOKENIZE}')`);
  const intoRef = db.prepare('INSERT INTO ref (rowid, title, body) VALUES (?, ?, ?)');
  const intoOurs = db.prepare('INSERT INTO ours (rowid, title, body) VALUES (?, ?, ?)');
  db.transaction(() =>
    texts.forEach((text, i) => {
      const title = text.slice(0, 30);
      intoRef.run(i + 1, unfoldedTokens(title), unfoldedTokens(text));
      intoOurs.run(i + 1, indexTokens(title), indexTokens(text));
    }),
  )();

  test('holds the terms unicode61 makes of the unfolded tokens, at the same positions', () => {
    const ref = instances(db, 'ref');
    expect(ref.length).toBeGreaterThan(100_000);
    const ours = instances(db, 'ours');
    expect(ours.length).toBe(ref.length);
    const first = ours.findIndex((x, i) => x !== ref[i]);
    expect(first === -1 ? null : [ref[first], ours[first]]).toBeNull();
  });

  test('answers every query as unicode61 over the unfolded tokens did', () => {
    const queries = [
      ...randomStrings(POOL, 777, 1500, 6),
      ...texts.slice(0, 40).map((t) => t.slice(200, 212)),
      'CAFÉ',
      'cafe',
      '联通',
      '中',
    ];
    const found = (table: string, expr: string) =>
      (db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`).all(expr) as { rowid: number }[])
        .map((r) => r.rowid)
        .join(',');
    let compared = 0;
    let hits = 0;
    for (const q of queries) {
      const expr = queryExpression(q);
      if (expr === null) continue;
      // unicode61 makes the same terms of folded query tokens as of unfolded ones (folding twice
      // changes nothing, tested above), so the reference table answers the same expression.
      const ours = found('ours', expr);
      expect([q, ours]).toEqual([q, found('ref', expr)]);
      compared++;
      if (ours !== '') hits++;
    }
    expect(compared).toBeGreaterThan(1000);
    expect(hits).toBeGreaterThan(300);
  });
});

describe(`a database indexed before the fold (${BACKEND})`, () => {
  let api: Awaited<ReturnType<typeof sampleApi>>;
  beforeAll(async () => {
    api = await sampleApiWith(
      '2022-06-21-cafe.md',
      `---\nlayout: post\ntitle: "Café Crème 上市"\ndate: 2022-06-21 10:00:00 +0800\n---\nLa CRÈME de la crème.\n`,
    );
  });
  afterAll(() => api.close());
  const titles = (query: string) => searchTitles(api, query);

  test('letters fold as unicode61 folds them, on both databases', async () => {
    for (const q of ['cafe', 'CAFÉ', 'café creme', 'crème'])
      expect([q, await titles(q)]).toEqual([q, ['Café Crème 上市']]);
  });

  test('the migration writes the folded tokens again (on PostgreSQL, of the posts they change only)', async () => {
    const id = async (title: string) =>
      (await api.query<{ id: number }>('SELECT id FROM post WHERE title = ?', title))[0].id;
    const cafe = await id('Café Crème 上市');
    const [{ id: other, title: otherTitle }] = await api.query<{ id: number; title: string }>(
      'SELECT id, title FROM post WHERE id <> ? ORDER BY id LIMIT 1',
      cafe,
    );
    const folding = ['SearchAscii', 'PgSearchUnicodeFold'];
    const applied = async () =>
      (await api.ds.query<{ name: string }[]>(`SELECT name FROM migrations`)).some((r) =>
        folding.some((f) => r.name.startsWith(f)),
      );
    while (await applied()) await api.ds.undoLastMigration({ transaction: 'each' });
    // The tokens as the build before wrote them: lower-cased, diacritics kept.
    const unfolded = { title: 'café crème 上市', body: 'la crème de la crème' };
    if (BACKEND === 'postgres') {
      await api.exec(
        'UPDATE post_search SET tsv = CAST(? AS tsvector) WHERE post_id = ?',
        searchVector(unfolded),
        cafe,
      );
      // A post the fold does not change keeps its vector: this marker must survive the migration.
      const marker = searchVector({ title: 'untouchedmarker', body: '' });
      await api.exec('UPDATE post_search SET tsv = CAST(? AS tsvector) WHERE post_id = ?', marker, other);
      expect(await titles('cafe')).toEqual([]);
    } else {
      await api.exec('DELETE FROM post_fts WHERE rowid = ?', cafe);
      await api.exec('INSERT INTO post_fts (rowid, title, body) VALUES (?, ?, ?)', cafe, unfolded.title, unfolded.body);
      // unicode61 folded them itself.
      expect(await titles('cafe')).toEqual(['Café Crème 上市']);
    }

    await api.ds.runMigrations({ transaction: 'each' });
    expect(await titles('cafe')).toEqual(['Café Crème 上市']);
    expect(await titles('crème')).toEqual(['Café Crème 上市']);
    if (BACKEND === 'postgres') expect(await titles('untouchedmarker')).toEqual([otherTitle]);
    else {
      const [{ sql }] = await api.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'post_fts'`);
      expect(sql).toContain(`tokenize='${FTS5_TOKENIZE}'`);
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import type * as PoolModule from '../../src/ingest/parse-pool';
import { readSiteConfig } from '../../src/ingest/jekyll/config';
import { runJob, type ParseJob } from '../../src/ingest/parse-worker';
import type { PostRecord } from '../../src/ingest/types';
import { HTML_AGAINST_TEXT, unpackContent } from '../../src/ingest/render/packed';
import { searchVectorBinary, tokenText, tsvectorOf } from '../../src/ingest/search/tsvector';

// The compiled pool (npm test builds first): its threads run dist/src/ingest/parse-worker.js, which
// ts-jest's sources do not have.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ParsePool, INLINE_FIRST } = require('../../dist/src/ingest/parse-pool') as typeof PoolModule;

const root = path.resolve(__dirname, '../../seeds/finews');
const site = readSiteConfig(fs.readFileSync(path.join(root, '_config.yml'), 'utf8'));
const posts = (function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : [],
    )
    .sort();
})(root).filter((f) => path.basename(f) !== 'SOURCE.md');
const buildTimeMs = Date.now();
const job = (abs: string) => ({ rel: path.relative(root, abs), abs, knownHash: null, site, buildTimeMs });

async function parseAll(pool: InstanceType<typeof ParsePool>, files: string[]) {
  files.forEach((f, i) => pool.submit(job(f), i));
  const out = [];
  for (let i = 0; i < files.length; i++) out.push(await pool.take(i));
  return out;
}

test('a batch of a few files parses on the calling thread: no parser thread starts', async () => {
  const pool = new ParsePool(2);
  try {
    const few = posts.slice(0, 5);
    const results = await parseAll(pool, few);
    expect(pool.threadsStarted).toBe(false);
    expect(results).toEqual(few.map((f, i) => runJob({ ...job(f), seq: i })));
  } finally {
    await pool.close();
  }
});

test('past the first files the threads take over, and results keep submission order', async () => {
  // Enough files to pass the inline ones: the seed posts, four times over.
  const many = [...posts, ...posts, ...posts, ...posts];
  expect(many.length).toBeGreaterThan(INLINE_FIRST + 32);
  const pool = new ParsePool(2);
  try {
    const results = await parseAll(pool, many);
    expect(pool.threadsStarted).toBe(true);
    expect(results.map((r) => r.seq)).toEqual(many.map((_, i) => i));
    expect(results).toEqual(many.map((f, i) => runJob({ ...job(f), seq: i })));
  } finally {
    await pool.close();
  }
});

test('on the threads, a file that cannot be read is reported as such and the rest keep their order', async () => {
  // Past the inline files, so the threads read them (ahead, off their own thread).
  const many = [...posts, ...posts, ...posts, ...posts];
  const missing = path.join(root, '_posts', '2099-01-01-gone-before-it-was-read.md');
  const folder = path.join(root, '_posts');
  many.splice(INLINE_FIRST + 40, 0, missing, folder);
  const pool = new ParsePool(2);
  try {
    const results = await parseAll(pool, many);
    expect(pool.threadsStarted).toBe(true);
    expect(results.map((r) => r.seq)).toEqual(many.map((_, i) => i));
    expect(results[INLINE_FIRST + 40]).toEqual({
      seq: INLINE_FIRST + 40,
      error: expect.stringMatching(/^cannot read: ENOENT: no such file or directory/),
    });
    expect(results[INLINE_FIRST + 41]).toEqual({
      seq: INLINE_FIRST + 41,
      error: expect.stringMatching(/^cannot read: EISDIR/),
    });
    // The same as reading each file on the calling thread.
    expect(results).toEqual(many.map((f, i) => runJob({ ...job(f), seq: i })));
  } finally {
    await pool.close();
  }
});

/** Each seed post parsed as is and with `option` set: both records, for `check` (over 100 posts). */
function eachPostBothWays(option: Partial<ParseJob>, check: (plain: PostRecord, other: PostRecord, f: string) => void) {
  let checked = 0;
  for (const [i, f] of posts.entries()) {
    const plain = runJob({ ...job(f), seq: i });
    const other = runJob({ ...job(f), seq: i, ...option });
    if (!('outcome' in plain) || plain.outcome?.kind !== 'post') continue;
    if (!('outcome' in other) || other.outcome?.kind !== 'post') throw new Error(`${f}: not a post with the option`);
    check(plain.outcome.record, other.outcome.record, f);
    checked++;
  }
  expect(checked).toBeGreaterThan(100);
}

test('a job that packs sends only the packed HTML and text, which unpack to the rendering', () => {
  eachPostBothWays({ pack: true }, (plain, packed, f) => {
    const { html, text, ...rest } = packed.rendering;
    expect(html).toBeInstanceOf(Uint8Array);
    expect(text).toBeInstanceOf(Uint8Array);
    expect((html as Uint8Array)[0]).toBe(HTML_AGAINST_TEXT);
    expect(unpackContent(html, text, f)).toEqual({ html: plain.rendering.html, text: plain.rendering.text });
    const { html: _h, text: _t, ...plainRest } = plain.rendering;
    expect(rest).toEqual(plainRest);
  });
});

test('a job for PostgreSQL sends the binary tsvector of the tokens, not the token text', () => {
  eachPostBothWays({ tsvector: true }, (plain, encoded, f) => {
    expect(encoded.searchTokens).toEqual({ tsvector: expect.any(Uint8Array) });
    const vector = tsvectorOf(encoded.searchTokens);
    expect(Buffer.from(vector).equals(searchVectorBinary(tokenText(plain.searchTokens, f)))).toBe(true);
    // Its own memory, not a view of Buffer's shared pool (a message would carry the whole slab).
    expect(vector.buffer.byteLength).toBe(vector.length);
    const { searchTokens: _a, ...rest } = encoded;
    const { searchTokens: _b, ...plainRest } = plain;
    expect(rest).toEqual(plainRest);
  });
});

test('on the threads, encoded vectors arrive as the calling thread makes them', async () => {
  const many = [...posts, ...posts, ...posts, ...posts];
  const pool = new ParsePool(2);
  try {
    many.forEach((f, i) => pool.submit({ ...job(f), tsvector: true }, i));
    const results = [];
    for (let i = 0; i < many.length; i++) results.push(await pool.take(i));
    expect(pool.threadsStarted).toBe(true);
    expect(results).toEqual(many.map((f, i) => runJob({ ...job(f), seq: i, tsvector: true })));
  } finally {
    await pool.close();
  }
});

test('tokens encoded for PostgreSQL have no text to give SQLite, and the error names the file', () => {
  const encoded = { tsvector: new Uint8Array(4) };
  expect(() => tokenText(encoded, '_posts/2024-01-01-a.md')).toThrow(
    /^_posts\/2024-01-01-a\.md: the search tokens were encoded for PostgreSQL/,
  );
  const text = { title: '中国 国联', body: 'foo' };
  expect(tokenText(text, 'x.md')).toBe(text);
  expect(Buffer.from(tsvectorOf(text)).equals(searchVectorBinary(text))).toBe(true);
});

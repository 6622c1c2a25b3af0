import fs from 'node:fs';
import path from 'node:path';
import { BACKEND, SEED } from '../helpers/db';
import { sampleApi } from '../helpers/api';
import { render } from '../../src/ingest/render';

type Api = Awaited<ReturnType<typeof sampleApi>>;

const POST = 'old_post/2022-06-16-NW202206162414061171.md';
const CONTENT = `query($slug: String!) { post(slug: $slug) { html text } }`;
const SEARCH = `{ search(query: "联通", first: 20) { edges { snippet node { url } } } }`;

describe('how a post’s HTML and text are stored', () => {
  let api: Api;
  beforeAll(async () => {
    api = await sampleApi();
  });
  afterAll(() => api.close());

  test('SQLite holds them packed and PostgreSQL as text; both answer the rendering', async () => {
    const rows = await api.query<{ html: unknown; text: unknown; url: string }>(
      'SELECT html, text, url FROM post ORDER BY id',
    );
    expect(rows).toHaveLength(104);
    for (const r of rows) {
      if (BACKEND === 'sqlite') {
        expect(r.html).toBeInstanceOf(Uint8Array);
        expect(r.text).toBeInstanceOf(Uint8Array);
      } else {
        expect(typeof r.html).toBe('string');
        expect(typeof r.text).toBe('string');
      }
    }
    const [row] = await api.query<{ slug: string; url: string }>('SELECT slug, url FROM post WHERE path = ?', POST);
    const data = await api.ok(CONTENT, { slug: row.slug });
    expect(data.post.html).toContain('中国联通');
    expect(data.post.text).toContain('中国联通');
    expect(data.post.html).not.toContain('<script');
  });

  test('a row written as text (by a build before packing) reads the same as a packed one, snippets too', async () => {
    const [row] = await api.query<{ id: number; slug: string }>('SELECT id, slug FROM post WHERE path = ?', POST);
    const before = await api.ok(CONTENT, { slug: row.slug });
    const snippetsBefore = await api.ok(SEARCH);
    await api.exec('UPDATE post SET html = ?, text = ? WHERE id = ?', before.post.html, before.post.text, row.id);
    const [stored] = await api.query<{ html: unknown }>('SELECT html FROM post WHERE id = ?', row.id);
    expect(typeof stored.html).toBe('string');
    expect(await api.ok(CONTENT, { slug: row.slug })).toEqual(before);
    expect(await api.ok(SEARCH)).toEqual(snippetsBefore);
    expect(snippetsBefore.search.edges.length).toBeGreaterThan(0);
  });

  (BACKEND === 'sqlite' ? test : test.skip)(
    'damaged packed bytes fail that field with an error naming the post',
    async () => {
      const [row] = await api.query<{ id: number; slug: string }>(
        'SELECT id, slug FROM post WHERE path <> ? ORDER BY id LIMIT 1',
        POST,
      );
      await api.exec('UPDATE post SET html = ? WHERE id = ?', Buffer.from([0xff, 0xfe, 0xfd]), row.id);
      const r = await api.run(`query($slug: String!) { post(slug: $slug) { title html } }`, { slug: row.slug });
      expect(r.errors?.map((e) => e.message)).toEqual([
        expect.stringMatching(new RegExp(`^post ${row.id} html: the stored value cannot be unpacked`)),
      ]);
      // `html` is non-null, so the post is null; every other post still answers.
      expect(r.data.post).toBeNull();
      const [other] = await api.query<{ slug: string }>('SELECT slug FROM post WHERE path = ?', POST);
      expect((await api.ok(CONTENT, { slug: other.slug })).post.html).toContain('中国联通');
    },
  );

  test('the stored HTML and text are the rendering of the file, unchanged', async () => {
    const file = fs.readFileSync(path.join(SEED, POST), 'utf8');
    const expected = render(file.replace(/^---\n[\s\S]*?\n---\n/, ''));
    const [row] = await api.query<{ slug: string }>('SELECT slug FROM post WHERE path = ?', POST);
    const data = await api.ok(CONTENT, { slug: row.slug });
    expect(data.post).toEqual({ html: expected.html, text: expected.text });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importArchives } from '../../src/db/importer';
import { tempDatabase, tempDir } from '../helpers/db';

const post = (title: string, body = 'body') =>
  `---\nlayout: post\ntitle: "${title}"\ndate: 2022-01-02 03:04:05 +0800\ncategories: news\n---\n${body}\n`;

describe('hostile files in an archive', () => {
  test('each bad file is reported with its reason and the rest import', async () => {
    const t = await tempDatabase();
    const root = tempDir('newsgraph-hostile-');
    const posts = path.join(root, '_posts');
    fs.mkdirSync(posts);
    const pwned = path.join(os.tmpdir(), `newsgraph-pwned-${process.pid}-${Date.now()}`);
    const files: Record<string, string | Buffer> = {
      '2022-01-01-good.md': post('good'),
      '2022-01-02-bad-yaml.md': '---\ntitle: "unclosed\ndate: [1, 2\n---\nx\n',
      '2022-01-03-empty.md': '',
      '2022-01-04-latin1.md': Buffer.concat([Buffer.from(post('latin')), Buffer.from([0xe9, 0xff, 0xfe])]),
      '2022-01-05-binary.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
      '2022-01-06-js.md': `---js\n{ title: (require('fs').writeFileSync(${JSON.stringify(pwned)}, 'x'), 'owned') }\n---\nbody\n`,
      '2022-01-07-javascript.md': `---javascript\n{ title: (require('fs').writeFileSync(${JSON.stringify(pwned)}, 'x'), 'owned') }\n---\nbody\n`,
      '2022-01-08-bad-date.md': '---\ntitle: x\ndate: yesterday\n---\nbody\n',
      '2022-01-09-also-good.md': post('also good'),
    };
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(posts, name), content);

    const s = await importArchives(t.writeStore, [root]);
    expect(fs.existsSync(pwned)).toBe(false);
    expect(s.new).toBe(2);
    const reasons = Object.fromEntries(s.failed.map((f) => [f.path, f.reason]));
    expect(Object.keys(reasons).sort()).toEqual([
      '_posts/2022-01-02-bad-yaml.md',
      '_posts/2022-01-03-empty.md',
      '_posts/2022-01-04-latin1.md',
      '_posts/2022-01-05-binary.md',
      '_posts/2022-01-06-js.md',
      '_posts/2022-01-07-javascript.md',
      '_posts/2022-01-08-bad-date.md',
    ]);
    expect(reasons['_posts/2022-01-03-empty.md']).toMatch(/empty/);
    expect(reasons['_posts/2022-01-04-latin1.md']).toMatch(/UTF-8/);
    expect(reasons['_posts/2022-01-05-binary.md']).toMatch(/binary/);
    expect(reasons['_posts/2022-01-06-js.md']).toMatch(/not allowed|executable/i);
    expect(reasons['_posts/2022-01-08-bad-date.md']).toMatch(/date/);
    const titles = (await t.query<{ title: string }>('SELECT title FROM post ORDER BY title')).map((r) => r.title);
    expect(titles).toEqual(['also good', 'good']);
    await t.close();
  });

  test('categories that differ only in case are one category, linked once at its first place', async () => {
    const t = await tempDatabase();
    const root = tempDir('newsgraph-case-');
    fs.mkdirSync(path.join(root, '_posts'));
    fs.writeFileSync(
      path.join(root, '_posts', '2022-01-01-a.md'),
      '---\ntitle: a\ncategories: [Markets, markets, Tech]\n---\nbody\n',
    );
    fs.writeFileSync(path.join(root, '_posts', '2022-01-02-b.md'), '---\ntitle: b\ncategories: [MARKETS]\n---\nbody\n');
    const s = await importArchives(t.writeStore, [root]);
    expect({ new: s.new, failed: s.failed }).toEqual({ new: 2, failed: [] });
    expect(
      await t.query(`SELECT p.title, c.slug, pc.position FROM post_category pc JOIN post p ON p.id = pc.post_id
                          JOIN category c ON c.id = pc.category_id ORDER BY p.title, pc.position`),
    ).toEqual([
      { title: 'a', slug: 'markets', position: 0 },
      { title: 'a', slug: 'tech', position: 2 },
      { title: 'b', slug: 'markets', position: 0 },
    ]);
    expect(await t.query(`SELECT slug, post_count AS n FROM category ORDER BY slug`)).toEqual([
      { slug: 'markets', n: 2 },
      { slug: 'tech', n: 1 },
    ]);
    await t.close();
  });

  test('a missing archive folder is an error naming it, and nothing is written', async () => {
    const t = await tempDatabase();
    await expect(importArchives(t.writeStore, ['/nonexistent/archive'])).rejects.toThrow(
      '/nonexistent/archive: no such folder',
    );
    expect((await t.query<{ n: number }>('SELECT count(*) AS n FROM archive'))[0].n).toBe(0);
    await t.close();
  });
});

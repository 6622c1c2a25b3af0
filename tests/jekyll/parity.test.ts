// Parity with real Jekyll 4.3.1: fixtures/*/EXPECTED-jekyll-4.3.1*.txt were produced by
// `jekyll build` on the same files (see fixtures/README.md). Every difference is listed below
// with the reason; everything else must match exactly (url, date in the site zone, categories,
// tags, title, slug).
import * as fs from 'fs';
import * as path from 'path';
import { readJekyllPost, readSiteConfig, zoneOffsetMinutes, type JekyllPostResult } from '../../src/ingest/jekyll';
import type { SiteConfig } from '../../src/ingest/types';

const FIX = path.join(__dirname, 'fixtures');

interface Row {
  path: string;
  url: string;
  date: string;
  categories: unknown[];
  tags: unknown[];
  title: unknown;
  slug: string;
}

function expected(file: string): Map<string, Row> {
  const rows = new Map<string, Row>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const [p, url, date, cats, tags, title, slug] = line.split('|');
    rows.set(p, {
      path: p,
      url,
      date,
      categories: JSON.parse(cats),
      tags: JSON.parse(tags),
      title: JSON.parse(title),
      slug,
    });
  }
  return rows;
}

function walk(dir: string, root = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? walk(full, root) : [path.relative(root, full).split(path.sep).join('/')];
  });
}

function localDate(ms: number, tz: string | null): string {
  const off = zoneOffsetMinutes(tz, ms);
  const d = new Date(ms + off * 60000);
  const p = (n: number) => String(n).padStart(2, '0');
  const sign = off < 0 ? '-' : '+';
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.000 ` +
    `${sign}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`
  );
}

/** Files where we knowingly differ from Jekyll, and what we do instead. */
const DIFFERENCES: Record<string, (r: JekyllPostResult) => void> = {
  // Jekyll maps to_s before flatten: junk categories '["a", "b"]' and "" next to the real ones.
  '_posts/2022-01-10-nested.md': (r) => expect(r).toMatchObject({ kind: 'post', categories: ['A', 'b', 'c', '2021'] }),
  // Jekyll keeps integer and duplicate tags; we give strings, de-duplicated.
  '_posts/2022-01-12-tags.md': (r) => expect(r).toMatchObject({ kind: 'post', tags: ['1', '2', '3'] }),
  // Jekyll builds a _posts file without front matter as a post; the product contract skips it.
  '_posts/2022-01-23-nofm.md': (r) => expect(r.kind).toBe('skipped'),
  // Psych reads `title: 10:30` as the Integer 37800; titles are strings here.
  '_posts/2022-01-29-sexa.md': (r) => expect(r).toMatchObject({ kind: 'post', title: '37800' }),
  // Ruby rolls 2021-02-30 over to 2021-03-02; we report an invalid date.
  '_posts/2022-01-30-feb.md': (r) =>
    expect(r).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^invalid date '2021-02-30'/) }),
  // `categories: 2021` (Integer): Jekyll raises TypeError and builds the file without data.
  '_posts/2022-02-01-int.md': (r) => expect(r).toMatchObject({ kind: 'post', categories: ['2021'] }),
  // YAML errors: Jekyll logs and builds the file without data (date = build time); we fail it.
  '_posts/2022-02-06-yamlerr.md': (r) =>
    expect(r).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^invalid YAML front matter/) }),
  '_posts/2022-02-07-dashfence.md': (r) =>
    expect(r).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^invalid YAML front matter/) }),
};

const CASES: Array<[string, string, string | null]> = [
  ['jekyll-site', 'EXPECTED-jekyll-4.3.1.txt', null],
  ['jekyll-site', 'EXPECTED-jekyll-4.3.1-pretty.txt', 'pretty'],
  ['jekyll-site', 'EXPECTED-jekyll-4.3.1-ordinal.txt', 'ordinal'],
  ['jekyll-site', 'EXPECTED-jekyll-4.3.1-weekdate.txt', 'weekdate'],
  ['jekyll-site', 'EXPECTED-jekyll-4.3.1-none.txt', 'none'],
  [
    'jekyll-site',
    'EXPECTED-jekyll-4.3.1-custom.txt',
    '/:year/:i_month/:i_day/:short_month-:long_month/:short_year/:w_year-:week-:w_day-:long_day/:hour:minute:second/:path/:name/:slug/:collection/:slugified_categories/:title_:output_ext',
  ],
  ['jekyll-site-ny', 'EXPECTED-jekyll-4.3.1.txt', null],
];

describe.each(CASES)('%s / %s', (siteDir, expectedFile, permalink) => {
  const root = path.join(FIX, siteDir);
  const base = readSiteConfig(fs.readFileSync(path.join(root, '_config.yml'), 'utf8'));
  const site: SiteConfig = permalink ? { ...base, permalink } : base;
  const rows = expected(path.join(root, expectedFile));
  const files = walk(root)
    .filter((f) => f.includes('_posts/'))
    .sort();

  test('every file Jekyll built is accounted for', () => {
    for (const p of rows.keys()) expect(files).toContain(p);
  });

  test.each(files)('%s', (file) => {
    const r = readJekyllPost({ path: file, text: fs.readFileSync(path.join(root, file), 'utf8'), site });
    const diff = DIFFERENCES[file];
    if (diff) {
      diff(r);
      return;
    }
    const row = rows.get(file);
    if (!row) {
      // Not in Jekyll's list: unpublished.
      expect(r.kind).toBe('unpublished');
      return;
    }
    if (r.kind !== 'post') throw new Error(`${file}: ${r.kind}: ${r.reason}`);
    expect({
      url: r.url,
      date: localDate(r.dateMs, site.timezone),
      categories: r.categories,
      tags: r.tags,
      title: r.title,
      slug: r.slug,
    }).toEqual({
      url: row.url,
      date: row.date,
      categories: row.categories,
      tags: row.tags.map(String),
      title: row.title,
      slug: row.slug,
    });
  });
});

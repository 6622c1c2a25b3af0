import { classifyPath, isIgnoredDir, titleizeSlug } from '../../src/ingest/jekyll';

describe('classifyPath', () => {
  test('posts in _posts', () => {
    expect(classifyPath('_posts/2021-12-08-202112082206672930.md')).toEqual({
      kind: 'post',
      date: { y: 2021, m: 12, d: 8 },
      slug: '202112082206672930',
      ext: '.md',
      inPosts: true,
      dirCategories: [],
    });
    expect(classifyPath('_posts/2022-01-09-a-b.markdown')).toMatchObject({
      kind: 'post',
      slug: 'a-b',
      ext: '.markdown',
    });
    expect(classifyPath('_posts/2022-01-09-page.html')).toMatchObject({ kind: 'post', slug: 'page', ext: '.html' });
    expect(classifyPath('_posts/2022-01-09-UPPER.MD')).toMatchObject({ kind: 'post', ext: '.MD' });
  });

  test('posts in other folders (archive folders such as old_post/)', () => {
    expect(classifyPath('old_post/2022-06-16-NW202206162414061171.md')).toEqual({
      kind: 'post',
      date: { y: 2022, m: 6, d: 16 },
      slug: 'NW202206162414061171',
      ext: '.md',
      inPosts: false,
      dirCategories: [],
    });
    expect(classifyPath('2022-01-09-top-level.md')).toMatchObject({ kind: 'post', inPosts: false });
    expect(classifyPath('x/y/2022-01-09-deep.html')).toMatchObject({ kind: 'post', dirCategories: [] });
  });

  test('folders above _posts become categories; folders below do not', () => {
    expect(classifyPath('a/b/_posts/2022-01-13-dir.md')).toMatchObject({ kind: 'post', dirCategories: ['a', 'b'] });
    expect(classifyPath('_posts/sub/2022-01-13-dir.md')).toMatchObject({ kind: 'post', dirCategories: [] });
    expect(classifyPath('财经/_posts/2022-01-13-x.md')).toMatchObject({ dirCategories: ['财经'] });
  });

  test('slug: everything up to the last dot, trailing dots removed (Jekyll)', () => {
    expect(classifyPath('_posts/2022-01-28-dots...md')).toMatchObject({ slug: 'dots', ext: '.md' });
    expect(classifyPath('_posts/2022-01-28-a.b.md')).toMatchObject({ slug: 'a.b', ext: '.md' });
    expect(classifyPath('_posts/2022-01-28-.md')).toMatchObject({ kind: 'post', slug: '' });
    expect(classifyPath('_posts/2022-1-5-short.md')).toMatchObject({ kind: 'post', date: { y: 2022, m: 1, d: 5 } });
  });

  test('files in _posts whose names do not match are skipped with a reason', () => {
    const r = classifyPath('_posts/-202205262391921712.md');
    expect(r).toEqual({ kind: 'skipped', reason: 'file name does not start with a date (YYYY-MM-DD-title.ext)' });
    expect(classifyPath('_posts/hello.md')).toMatchObject({ kind: 'skipped' });
    expect(classifyPath('_posts/2022-01-09.md')).toMatchObject({ kind: 'skipped' });
    expect(classifyPath('_posts/21-01-09-x.md')).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/four digits/),
    });
    expect(classifyPath('_posts/2022-01-09-x.txt')).toMatchObject({
      kind: 'skipped',
      reason: expect.stringMatching(/not a Markdown or HTML file \(\.txt\)/),
    });
  });

  test('impossible dates are skipped', () => {
    expect(classifyPath('_posts/2021-02-30-x.md')).toEqual({
      kind: 'skipped',
      reason: 'file name has an impossible date (2021-02-30)',
    });
    expect(classifyPath('old_post/2021-13-01-x.md')).toMatchObject({ kind: 'skipped' });
    expect(classifyPath('_posts/2024-02-29-leap.md')).toMatchObject({ kind: 'post' });
    expect(classifyPath('_posts/2023-02-29-noleap.md')).toMatchObject({ kind: 'skipped' });
  });

  test('other files', () => {
    expect(classifyPath('category/xiningwanbao.html')).toEqual({ kind: 'other' });
    expect(classifyPath('old_post/readme.md')).toEqual({ kind: 'other' });
    expect(classifyPath('_posts/image.png')).toEqual({ kind: 'other' });
    expect(classifyPath('assets/2022-01-09-photo.jpg')).toEqual({ kind: 'other' });
    expect(classifyPath('_posts/.2022-01-09-hidden.md')).toEqual({ kind: 'other' });
    expect(classifyPath('_posts/2022-01-09-backup.md~')).toEqual({ kind: 'other' });
  });

  test('ignored folders', () => {
    expect(classifyPath('_drafts/2022-01-09-x.md')).toEqual({ kind: 'other', ignoredDir: '_drafts' });
    expect(classifyPath('_site/emnews/2022-01-09-x.html')).toEqual({ kind: 'other', ignoredDir: '_site' });
    expect(classifyPath('a/node_modules/pkg/2022-01-09-x.md')).toEqual({ kind: 'other', ignoredDir: 'node_modules' });
    expect(classifyPath('.git/2022-01-09-x.md')).toEqual({ kind: 'other', ignoredDir: '.git' });
    expect(classifyPath('a/_drafts/_posts/2022-01-09-x.md')).toMatchObject({ kind: 'other', ignoredDir: '_drafts' });
  });
});

describe('isIgnoredDir', () => {
  test.each([
    ['_drafts', true],
    ['_site', true],
    ['node_modules', true],
    ['.git', true],
    ['.jekyll-cache', true],
    ['_posts', false],
    ['old_post', false],
    ['category', false],
    ['_layouts', false],
  ])('%s -> %s', (name, expected) => {
    expect(isIgnoredDir(name)).toBe(expected);
  });
});

describe('titleizeSlug (Utils.titleize_slug, checked with Ruby)', () => {
  test.each([
    ['hello-WORLD', 'Hello World'],
    ['a--b', 'A  B'],
    ['a-', 'A'],
    ['-a', ' A'],
    ['ünïcode-test', 'Ünïcode Test'],
    ['202112082206672930', '202112082206672930'],
    ['notitle-here', 'Notitle Here'],
    ['ßa-ǆx-ΑΣ', 'Ssa ǅx Ασ'],
    ['', ''],
  ])('%s -> %s', (slug, title) => {
    expect(titleizeSlug(slug)).toBe(title);
  });
});

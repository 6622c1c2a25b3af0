import { parseFrontMatter, readJekyllPost, resolveCategories, resolveTags } from '../../src/ingest/jekyll';

const data = (yaml: string) => parseFrontMatter(`---\n${yaml}\n---\n`, 'x.md').data;

describe('categories (Jekyll 4.3 populate_categories / merge_categories!)', () => {
  test('a string is split on whitespace', () => {
    expect(resolveCategories(data('categories: emnews'))).toEqual(['emnews']);
    expect(resolveCategories(data('categories: "a  b\tc"'))).toEqual(['a', 'b', 'c']);
  });

  test('only ASCII whitespace splits (Ruby String#split): U+3000 and NBSP do not', () => {
    expect(resolveCategories(data('categories: "a\u3000b c"'))).toEqual(['a\u3000b', 'c']);
    expect(resolveCategories(data('categories: "a\u00a0b"'))).toEqual(['a\u00a0b']);
  });

  test('list items are not split; nested lists flattened; nulls dropped; numbers to strings', () => {
    expect(resolveCategories(data('categories: ["one two", three]'))).toEqual(['one two', 'three']);
    expect(resolveCategories(data('categories: [[A, b], c, null, 2021]'))).toEqual(['A', 'b', 'c', '2021']);
    expect(resolveCategories(data('categories: [true, 1.5, {x: 1}, ""]'))).toEqual(['true', '1.5']);
  });

  test('singular category: one category, never split, after categories', () => {
    expect(resolveCategories(data('category: one two'))).toEqual(['one two']);
    expect(resolveCategories(data('categories: x y\ncategory: z w'))).toEqual(['x', 'y', 'z w']);
    expect(resolveCategories(data('category: z w\ncategories: x y'))).toEqual(['x', 'y', 'z w']);
    expect(resolveCategories(data('category: [a b, c]'))).toEqual(['a b', 'c']);
    expect(resolveCategories(data('category:\ncategories: x'))).toEqual(['x']);
    expect(resolveCategories(data('category: false\ncategories: x'))).toEqual(['x']);
  });

  test('folder categories come first; de-duplicated keeping order and case', () => {
    expect(resolveCategories(data('categories: Foo b'), ['a', 'b'])).toEqual(['a', 'b', 'Foo']);
    expect(resolveCategories(data('categories: [Foo, foo, FOO]'))).toEqual(['Foo', 'foo', 'FOO']);
    expect(resolveCategories(data('categories: a a b\ncategory: a'))).toEqual(['a', 'b']);
    expect(resolveCategories({}, ['x'])).toEqual(['x']);
  });

  test('a scalar that is not a string is one category', () => {
    expect(resolveCategories(data('categories: 2021'))).toEqual(['2021']);
    expect(resolveCategories(data('categories:'))).toEqual([]);
    expect(resolveCategories(data('categories: ""'))).toEqual([]);
  });

  test('Chinese categories', () => {
    expect(resolveCategories(data('categories: 财经 新闻'))).toEqual(['财经', '新闻']);
  });
});

describe('tags (populate_tags)', () => {
  test('string split, list items', () => {
    expect(resolveTags(data('tags: 东财滚动新闻'))).toEqual(['东财滚动新闻']);
    expect(resolveTags(data('tags: a b'))).toEqual(['a', 'b']);
    expect(resolveTags(data('tags: ["a b", c]'))).toEqual(['a b', 'c']);
    expect(resolveTags(data('tags: [1, [2, 3], null, 1]'))).toEqual(['1', '2', '3']);
  });

  test('a truthy singular tag: wins and is never split (tags: is then ignored, as in Jekyll)', () => {
    expect(resolveTags(data('tags: a b\ntag: c d'))).toEqual(['c d']);
    expect(resolveTags(data('tag: [x y, z]'))).toEqual(['x y', 'z']);
    expect(resolveTags(data('tag:\ntags: a b'))).toEqual(['a', 'b']);
    expect(resolveTags(data('tag: no\ntags: a'))).toEqual(['a']); // `no` is false in Psych
  });

  test('tags: with a non-string scalar gives no tags (Jekyll)', () => {
    expect(resolveTags(data('tags: 2021'))).toEqual([]);
    expect(resolveTags(data('tags:'))).toEqual([]);
    expect(resolveTags({})).toEqual([]);
  });
});

describe('through readJekyllPost', () => {
  const site = { timezone: 'Asia/Shanghai', permalink: 'date', future: false };
  test('dir categories + categories + category; URL lower-cased and de-duplicated', () => {
    const r = readJekyllPost({
      path: 'News/_posts/2022-01-13-x.md',
      text: '---\ncategories: [news, Markets]\ncategory: markets\ntags: a b\n---\n',
      site,
    });
    expect(r).toMatchObject({
      kind: 'post',
      categories: ['News', 'news', 'Markets', 'markets'],
      tags: ['a', 'b'],
      url: '/news/markets/2022/01/13/x.html',
    });
  });
});

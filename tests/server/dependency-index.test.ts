import { ReadLog } from '../../src/graphql/read-log';
import { DependencyIndex, postTag } from '../../src/server/targeted-cache/dependency-index';

// The response cache's budget counts what the index keeps of each entry (response-cache.ts).

test("an entry's bytes grow with what its answer read, and are gone once it is forgotten", () => {
  const index = new DependencyIndex();
  expect(index.bytesOf('k')).toBe(0);
  index.add('any', null);
  const small = new ReadLog();
  small.posts.add(1);
  index.add('small', small);
  const large = new ReadLog();
  for (let id = 1; id <= 20; id++) large.posts.add(id);
  for (let id = 1; id <= 20; id++) large.stocks.set(id, `stock ${id}`);
  large.related.set('1:0:3', '[2,3,4]');
  large.windows.push({ low: null, high: { key: { dateMs: 5, id: 5 }, inclusive: false } });
  index.add('large', large);
  expect(index.bytesOf('any')).toBeGreaterThan(0);
  expect(index.bytesOf('small')).toBe(index.bytesOf('any'));
  // 41 tags and a window against one tag: each costs memory.
  expect(index.bytesOf('large')).toBeGreaterThan(index.bytesOf('small') + 40 * 100);
  expect(index.tagged([postTag(20)])).toEqual(new Set(['any', 'large']));
  index.forget('large');
  expect(index.bytesOf('large')).toBe(0);
  expect(index.tagged([postTag(20)])).toEqual(new Set(['any']));
});

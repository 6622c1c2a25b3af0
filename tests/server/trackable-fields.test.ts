// Which documents the targeted response cache may keep across import batches: story clusters
// change with posts written anywhere in a listing, so documents that read them are not followed
// (they go with every batch, like counts and search).
import 'reflect-metadata';
import { parse } from 'graphql';
import { buildNewsgraphSchema } from '../../src/graphql/schema';
import { selectsOnlyFollowedFields } from '../../src/server/targeted-cache/trackable-fields';

const schema = buildNewsgraphSchema();
const followed = (source: string) => selectsOnlyFollowedFields(schema, parse(source));

test('a plain page is followed; one that collapses stories or lists a story is not', () => {
  expect(followed('{ posts(first: 5) { edges { node { url title } } } }')).toBe(true);
  expect(followed('{ posts(first: 5, collapseSameStory: false) { edges { node { url } } } }')).toBe(true);
  expect(followed('{ posts(first: 5, collapseSameStory: true) { edges { node { url } } } }')).toBe(false);
  expect(followed('query($c: Boolean) { posts(first: 5, collapseSameStory: $c) { edges { node { url } } } }')).toBe(
    false,
  );
  expect(followed('{ posts(first: 5) { edges { node { url sameStory { url } } } } }')).toBe(false);
  expect(
    followed('{ stock(symbol: "600519") { posts(first: 3, collapseSameStory: true) { edges { node { url } } } } }'),
  ).toBe(false);
});

import { GraphQLError, parse } from 'graphql';
import { CheckedDocuments } from '../../src/server/document-cache';

// Subscriptions check a document's text once (parse and validate), not once per subscriber.

function counted(max?: { documents: number; chars: number }) {
  const checked: string[] = [];
  const cache = new CheckedDocuments((text) => {
    checked.push(text);
    return text.startsWith('{') ? parse(text) : [new GraphQLError(`not a document: ${text}`)];
  }, max);
  return { cache, checked };
}

test('the same text is checked once, and gets the same document back', () => {
  const { cache, checked } = counted();
  const a = cache.get('{ posts { totalCount } }');
  const b = cache.get('{ posts { totalCount } }');
  expect(b).toBe(a);
  expect('kind' in a && a.kind).toBe('Document');
  expect(checked).toEqual(['{ posts { totalCount } }']);
});

test('a refused text keeps its errors: refused again without a second check', () => {
  const { cache, checked } = counted();
  const first = cache.get('subscription');
  expect(cache.get('subscription')).toBe(first);
  expect(Array.isArray(first) && first[0].message).toBe('not a document: subscription');
  expect(checked).toHaveLength(1);
});

test('the least recently used goes first, by count and by characters; a long text is never kept', () => {
  const { cache, checked } = counted({ documents: 2, chars: 200 });
  cache.get('{ a }');
  cache.get('{ b }');
  cache.get('{ a }'); // a is now the most recent
  cache.get('{ c }'); // b goes
  expect(cache.size).toBe(2);
  cache.get('{ a }');
  cache.get('{ b }');
  expect(checked).toEqual(['{ a }', '{ b }', '{ c }', '{ b }']);
  const long = `{ ${'x '.repeat(20)}}`;
  cache.get(long);
  cache.get(long);
  expect(checked.filter((t) => t === long)).toHaveLength(2);
});

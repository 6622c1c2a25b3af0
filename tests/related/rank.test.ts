// The pure ranking pieces: the order of entries, offers into a stored list, the stored text.
import {
  candidateSources,
  compareEntries,
  decodeList,
  encodeList,
  Neighbors,
  offer,
  rankPost,
  RelatedEntry,
  thingKey,
  thingWeight,
} from '../../src/db/related/rank';

const e = (id: number, score: number, dist = 0): RelatedEntry => ({ id, score, dist });

test('entries order by score, then nearer in date, then the higher id', () => {
  const list = [e(1, 5, 10), e(2, 9, 99), e(3, 5, 3), e(4, 5, 3)].sort(compareEntries);
  expect(list.map((x) => x.id)).toEqual([2, 4, 3, 1]);
});

test('an offer goes where it ranks, replaces its own old entry, and keeps the list bounded', () => {
  const list = [e(1, 9), e(2, 7), e(3, 5)];
  expect(offer(list, e(4, 8), 3)!.map((x) => x.id)).toEqual([1, 4, 2]);
  expect(offer(list, e(4, 1), 3)).toBeNull(); // below a full list's last entry
  expect(offer(list, e(4, 1), 4)!.map((x) => x.id)).toEqual([1, 2, 3, 4]); // room left
  expect(offer(list, e(3, 10), 3)!.map((x) => [x.id, x.score])).toEqual([
    [3, 10],
    [1, 9],
    [2, 7],
  ]);
  expect(offer(list, e(2, 7), 3)).toBeNull(); // the same entry again changes nothing
  expect(offer([], e(5, 1), 3)).toEqual([e(5, 1)]);
});

test('stored text round-trips exactly, the empty list included', () => {
  const list = [e(12, 1234.567891, 86400), e(7, 0.000001, 0), e(99999999, 3000, 1e9)];
  expect(decodeList(encodeList(list))).toEqual(list);
  expect(decodeList(encodeList([]))).toEqual([]);
});

test('candidates come from stocks first, then the rarest other things; a thing only the post links brings none', () => {
  const things = [
    { kind: 'T' as const, eid: 1, df: 2 },
    { kind: 'S' as const, eid: 5, df: 900 },
    { kind: 'O' as const, eid: 2, df: 40 },
    { kind: 'S' as const, eid: 3, df: 1 },
    { kind: 'B' as const, eid: 9, df: 3 },
  ];
  expect(candidateSources(things).map((t) => `${t.kind}${t.eid}`)).toEqual(['S5', 'T1', 'B9', 'O2']);
  const many = Array.from({ length: 12 }, (_, i) => ({ kind: 'T' as const, eid: i, df: 100 - i }));
  expect(candidateSources(many)).toHaveLength(8);
  expect(candidateSources(many)[0].eid).toBe(11);
});

test('a rare shared stock outweighs a common one, and any stock outweighs organizations, boards and tags', () => {
  const n = 100000;
  const rare = thingWeight({ kind: 'S', eid: 1, df: 3 }, n);
  const common = thingWeight({ kind: 'S', eid: 2, df: 20000 }, n);
  expect(rare).toBeGreaterThan(common);
  const others = ['O', 'B', 'T'].map((k) => thingWeight({ kind: k as 'O', eid: 3, df: 1 }, n));
  expect(common).toBeGreaterThan(others.reduce((a, b) => a + b));
});

test('a post ranks candidates on everything both link, never itself, scores to 6 decimals', () => {
  const src = {
    id: 1,
    dateMs: 1_000_000,
    things: [
      { kind: 'S' as const, eid: 1, df: 10 },
      { kind: 'T' as const, eid: 2, df: 10 },
    ],
  };
  const [s1, t2] = [thingKey('S', 1), thingKey('T', 2)];
  const keys: Record<number, number[]> = { 1: [s1, t2], 2: [s1], 3: [s1, t2], 4: [t2], 5: [thingKey('T', 1)] };
  const near = new Neighbors();
  for (const id of [2, 3, 4, 5, 1, 3]) near.push(id, 1_000_000 + id * 1000);
  const ranked = rankPost(src, near, (id) => keys[id], 50, 10);
  expect(ranked.map((x) => x.id)).toEqual([3, 2, 4]);
  expect(ranked[0].score).toBe(Math.round(ranked[0].score * 1e6) / 1e6);
  expect(ranked[0].dist).toBe(3);
});

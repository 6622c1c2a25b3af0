import { formatInstant, formatInstantByDate, parseDateTime } from '../../src/graphql/scalars/date-time';

/** A deterministic spread of numbers (no Math.random: a failure must replay). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

describe('formatInstant: post dates as RFC 3339 in their written offset', () => {
  test('the dates of the sample as written', () => {
    expect(formatInstant({ ms: Date.UTC(2022, 5, 15, 16, 2, 13), offset: 480 })).toBe('2022-06-16T00:02:13+08:00');
    expect(formatInstant({ ms: Date.UTC(2021, 11, 8, 10, 46, 18), offset: 0 })).toBe('2021-12-08T10:46:18Z');
    expect(formatInstant({ ms: Date.UTC(2021, 11, 8, 10, 46, 18, 5), offset: -330 })).toBe(
      '2021-12-08T05:16:18.005-05:30',
    );
  });

  test('by arithmetic, the same as through Date, for 200,000 instants and offsets of ±18 h', () => {
    const next = lcg(7);
    for (let i = 0; i < 200_000; i++) {
      const instant = { ms: Math.floor((next() * 2 - 1) * 4e14), offset: Math.floor((next() * 2 - 1) * 18 * 60) };
      const fast = formatInstant(instant);
      if (fast !== formatInstantByDate(instant))
        expect({ instant, fast }).toEqual({ instant, fast: formatInstantByDate(instant) });
    }
  });

  test('at the edges: epoch, before it, leap days, century years, four-digit years and past them, fractions', () => {
    const edges = [
      0,
      -1,
      Date.UTC(2000, 1, 29, 23, 59, 59, 999),
      Date.UTC(1900, 1, 28, 12),
      Date.UTC(2100, 2, 1),
      Date.UTC(1000, 0, 1),
      Date.UTC(1000, 0, 1) - 1,
      Date.UTC(9999, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999) + 1,
      1.5,
      -8.64e15 + 86_400_000,
      8.64e15 - 86_400_000,
    ];
    for (const ms of edges) {
      for (const offset of [0, 480, -720, 14 * 60 + 45]) {
        expect(formatInstant({ ms, offset })).toBe(formatInstantByDate({ ms, offset }));
      }
    }
    expect(formatInstant({ ms: Date.UTC(9999, 11, 31, 23, 59, 59) + 1000, offset: 0 })).toBe('+010000-01-01T00:00:00Z');
  });

  test('what it writes reads back as the same instant', () => {
    const next = lcg(11);
    for (let i = 0; i < 2000; i++) {
      const ms = Math.floor(next() * 4e12);
      const offset = Math.floor((next() * 2 - 1) * 14 * 60);
      expect(parseDateTime(formatInstant({ ms, offset }))).toBe(ms);
    }
  });
});

describe('parseDateTime: RFC 3339 input', () => {
  test('the years 0000-0099 are those years (Date.UTC would read 1900-1999)', () => {
    const year = (y: number) => {
      const d = new Date(0);
      d.setUTCFullYear(y, 0, 1);
      return d.getTime();
    };
    expect(parseDateTime('0099-01-01')).toBe(year(99));
    expect(parseDateTime('0000-01-01T00:00:00Z')).toBe(year(0));
    expect(parseDateTime('0001-01-01T08:00:00+08:00')).toBe(year(1));
    expect(formatInstant({ ms: parseDateTime('0042-03-04T05:06:07Z')!, offset: 0 })).toBe('0042-03-04T05:06:07Z');
  });

  test('an offset with more than 59 minutes is no offset; rollovers stay refused', () => {
    expect(parseDateTime('2022-06-16T00:02:13+08:99')).toBeNull();
    expect(parseDateTime('2022-06-16T00:02:13+0860')).toBeNull();
    expect(parseDateTime('2022-06-16T00:02:13+08:59')).toBe(Date.UTC(2022, 5, 15, 15, 3, 13));
    for (const bad of [
      '2022-02-30',
      '2022-13-01',
      '2022-06-16T24:00:00Z',
      '2022-06-16T23:60:00Z',
      '2022-06-16T23:59:60Z',
    ])
      expect(parseDateTime(bad)).toBeNull();
  });
});

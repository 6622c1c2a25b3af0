// Expected values were checked with Ruby 3.1 / Jekyll 4.3.1 (Time.parse, Psych, jekyll build).
import {
  InvalidDateError,
  parseFrontMatter,
  readJekyllPost,
  resolveDate,
  type DateSource,
} from '../../src/ingest/jekyll';
import { zoneOffsetMs, zoneOffsetMsFromParts } from '../../src/ingest/jekyll/dates';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const FILE = { y: 2022, m: 1, d: 9 };

const plain = (text: string): DateSource => ({ text, style: 'plain', quoted: false, raw: text });

function iso(r: { ms: number }) {
  return new Date(r.ms).toISOString();
}

function fromFrontMatter(line: string, tz: string | null) {
  const { dateSource } = parseFrontMatter(`---\n${line}\n---\n`, 'x.md');
  return resolveDate(dateSource, FILE, tz);
}

describe('unquoted YAML timestamps (Psych Time)', () => {
  test('no zone: UTC, offset 0, whatever the site zone', () => {
    for (const tz of [SH, NY, null]) {
      const r = resolveDate(plain('2021-12-08 10:46:18'), FILE, tz);
      expect(iso(r)).toBe('2021-12-08T10:46:18.000Z');
      expect(r.offset).toBe(0);
    }
  });

  test.each([
    ['2021-12-08 10:19:17 +0800', '2021-12-08T02:19:17.000Z', 480],
    ['2021-12-08 10:19:17 +08:00', '2021-12-08T02:19:17.000Z', 480],
    ['2021-12-08 10:19:17 +8', '2021-12-08T02:19:17.000Z', 480],
    ['2021-12-08T10:19:17+08:00', '2021-12-08T02:19:17.000Z', 480],
    ['2021-12-08t10:19:17Z', '2021-12-08T10:19:17.000Z', 0],
    ['2021-12-08 10:19:17Z', '2021-12-08T10:19:17.000Z', 0],
    ['2021-12-08 10:46:18 -0330', '2021-12-08T14:16:18.000Z', -210],
    ['2021-12-08   10:46:18', '2021-12-08T10:46:18.000Z', 0],
    // Jekyll re-parses Time#to_s, which drops fractions.
    ['2021-12-08 10:19:17.5 +08:00', '2021-12-08T02:19:17.000Z', 480],
    ['2021-12-08 10:19:17.999', '2021-12-08T10:19:17.000Z', 0],
    // 24:00:00 is the next midnight (Ruby).
    ['2021-12-08 24:00:00', '2021-12-09T00:00:00.000Z', 0],
  ])('%s', (text, expected, offset) => {
    const r = resolveDate(plain(text), FILE, SH);
    expect(iso(r)).toBe(expected);
    expect(r.offset).toBe(offset);
  });

  test('read through parseFrontMatter', () => {
    expect(iso(fromFrontMatter('date: 2021-12-08 10:46:18', SH))).toBe('2021-12-08T10:46:18.000Z');
    expect(fromFrontMatter('date: 2021-12-08 10:19:17 +0800', SH)).toEqual({
      ms: Date.parse('2021-12-08T02:19:17Z'),
      offset: 480,
    });
  });
});

describe('quoted strings and dates: local time in the site zone', () => {
  test('quoted "2022-01-04 10:00:00" in Asia/Shanghai', () => {
    const r = fromFrontMatter('date: "2022-01-04 10:00:00"', SH);
    expect(iso(r)).toBe('2022-01-04T02:00:00.000Z');
    expect(r.offset).toBe(480);
  });

  test('quoted string with an explicit offset keeps it', () => {
    const r = fromFrontMatter('date: "2022-01-05 10:00:00 +08:00"', NY);
    expect(iso(r)).toBe('2022-01-05T02:00:00.000Z');
    expect(r.offset).toBe(480);
  });

  test('no site zone: UTC', () => {
    const r = fromFrontMatter('date: "2022-01-04 10:00:00"', null);
    expect(iso(r)).toBe('2022-01-04T10:00:00.000Z');
    expect(r.offset).toBe(0);
  });

  test.each([
    ['"2022-01-04 10:00:00"', '2022-01-04T15:00:00.000Z', -300], // EST
    ['"2022-07-01 23:30:00"', '2022-07-02T03:30:00.000Z', -240], // EDT
    ['"2022-03-13 02:30:00"', '2022-03-13T07:30:00.000Z', -240], // gap: moves forward to 03:30 EDT
    ['"2022-11-06 01:30:00"', '2022-11-06T06:30:00.000Z', -300], // ambiguous: the later (EST)
    ['"2022-03-13 01:59:59"', '2022-03-13T06:59:59.000Z', -300],
    ['"2022-03-13 03:00:00"', '2022-03-13T07:00:00.000Z', -240],
  ])('America/New_York across DST: %s', (value, expected, offset) => {
    const r = fromFrontMatter(`date: ${value}`, NY);
    expect(iso(r)).toBe(expected);
    expect(r.offset).toBe(offset);
  });

  test.each([
    ['date: 2022-01-04', SH, '2022-01-03T16:00:00.000Z', 480],
    ['date: "2022-01-04"', SH, '2022-01-03T16:00:00.000Z', 480],
    ['date: 2022-1-4', SH, '2022-01-03T16:00:00.000Z', 480],
    ['date: 2022-01-04', NY, '2022-01-04T05:00:00.000Z', -300],
    ['date: 2022-07-04', NY, '2022-07-04T04:00:00.000Z', -240],
    ['date: 2022-01-04', null, '2022-01-04T00:00:00.000Z', 0],
  ])('date-only %s in %s: local midnight', (line, tz, expected, offset) => {
    const r = fromFrontMatter(line, tz);
    expect(iso(r)).toBe(expected);
    expect(r.offset).toBe(offset);
  });

  test.each([
    // Not a Psych timestamp (no seconds): Time.parse, local.
    ['date: 2021-12-08 10:46', '2021-12-08T02:46:00.000Z', 480],
    // An integer: to_s, then Time.parse.
    ['date: 20211208', '2021-12-07T16:00:00.000Z', 480],
    ['date: "2021/12/08 10:46"', '2021-12-08T02:46:00.000Z', 480],
    ['date: "2021-12-08 10:46:18 UTC"', '2021-12-08T10:46:18.000Z', 0],
    // Ruby's Time.parse knows the US zone words (CST is US Central!) ...
    ['date: 2021-12-08 10:46:18 CST', '2021-12-08T16:46:18.000Z', -360],
    ['date: "2022-01-08 10:00:00 PST"', '2022-01-08T18:00:00.000Z', -480],
    // ... and ignores the ones it does not know: local time.
    ['date: "2022-07-08 10:00:00 JST"', '2022-07-08T02:00:00.000Z', 480],
  ])('Time.parse forms: %s', (line, expected, offset) => {
    const r = fromFrontMatter(line, SH);
    expect(iso(r)).toBe(expected);
    expect(r.offset).toBe(offset);
  });
});

describe('no date in front matter: file-name date, local midnight', () => {
  test.each([
    [SH, '2022-01-08T16:00:00.000Z', 480],
    [NY, '2022-01-09T05:00:00.000Z', -300],
    [null, '2022-01-09T00:00:00.000Z', 0],
  ])('%s', (tz, expected, offset) => {
    const r = resolveDate(null, FILE, tz);
    expect(iso(r)).toBe(expected);
    expect(r.offset).toBe(offset);
  });
});

describe('invalid dates', () => {
  test.each([
    ['date: yesterday', "invalid date 'yesterday'"],
    ['date: 2021-13-45', "invalid date '2021-13-45'"],
    ['date: "2021-13-45 10:00:00"', "invalid date '2021-13-45 10:00:00'"],
    ['date: 2021-02-30', "invalid date '2021-02-30'"], // Ruby rolls over to 2021-03-02; we refuse
    ['date: 2021-02-30 10:00:00', "invalid date '2021-02-30 10:00:00'"],
    ['date:', "invalid date ''"], // Jekyll: Invalid date '' (build aborts)
    ['date: ""', "invalid date ''"],
    ['date:  +0800', "invalid date '+0800'"], // the malformed real copy
    ['date: [2022-01-04]', "invalid date '[2022-01-04]'"],
    ['date: Dec 8 2021', "invalid date 'Dec 8 2021'"], // Ruby would guess; we do not
    ['date: 2021-12-08 25:00:00', "invalid date '2021-12-08 25:00:00'"],
    ['date: "2021-12-08 10:00:00 +2500"', "invalid date '2021-12-08 10:00:00 +2500'"],
  ])('%s', (line, message) => {
    let err: unknown;
    try {
      fromFrontMatter(line, SH);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidDateError);
    expect((err as Error).message.startsWith(message)).toBe(true);
  });

  test('readJekyllPost reports a failed post', () => {
    const r = readJekyllPost({
      path: '_posts/2022-01-05-p.md',
      text: '---\ndate: yesterday\n---\nx\n',
      site: { timezone: SH, permalink: 'date', future: false },
    });
    expect(r).toEqual({ kind: 'failed', reason: "invalid date 'yesterday' in front matter" });
  });
});

describe('zone offsets read from the formatted string', () => {
  test('equal the formatToParts reading in every zone, across eras and DST changes', () => {
    const instants = [
      -62135596800001, // 1 BC
      -62135596800000, // AD 1
      Date.parse('1900-01-01T00:00:00Z'),
      Date.parse('1927-12-31T15:54:17Z'), // Shanghai leaves LMT
      Date.parse('2022-03-13T06:59:59Z'),
      Date.parse('2022-03-13T07:00:00Z'), // New York springs forward
      Date.parse('2022-11-06T05:30:00Z'),
      Date.parse('2023-03-14T09:43:15.999Z'),
      Date.parse('2099-07-01T12:00:00Z'),
    ];
    let compared = 0;
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      for (const ms of instants) {
        expect([zone, ms, zoneOffsetMs(zone, ms)]).toEqual([zone, ms, zoneOffsetMsFromParts(zone, ms)]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });
});

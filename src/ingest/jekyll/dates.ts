// Post dates the way Jekyll 4.3 reads them (verified against Debian's jekyll 4.3.1 / Ruby 3.1).
//
// Jekyll: Psych reads the YAML value, then Document#merge_date! calls
// `Utils.parse_date(data["date"].to_s)` = `Time.parse(str).localtime`, with ENV["TZ"] set from the
// site's `timezone:`. So:
//   - a PLAIN scalar matching Psych's TIME regexp (`2021-12-08 10:46:18`, `...T...`, `... +0800`,
//     `Z`, fractional seconds) is a Time: without a zone it is UTC; with one, that instant;
//   - a PLAIN scalar matching Psych's date regexp (`2022-01-04`, `2021-1-5`) is a Date, whose
//     to_s is parsed as local midnight in the site zone;
//   - anything else (quoted strings, `2021-12-08 10:46` without seconds, the integer `20211208`)
//     goes to Ruby's Time.parse: local time in the site zone unless the text names a zone.
//   - no `date:` at all: the file-name date, local midnight in the site zone.
//   - `date:` present but empty, or unreadable (`yesterday`): Jekyll raises InvalidDateError,
//     a fatal error that aborts the build. Here: InvalidDateError.
// Jekyll re-parses the date from Time#to_s on every merge_data!, which drops fractional
// seconds, so the resolved instant always has whole seconds.
//
// Time.parse is a very lenient heuristic parser. Only its common, well-defined forms are
// accepted here: `YYYY-M-D` or `YYYY/M/D`, optionally followed by `H:MM[:SS[.frac]]` (space or T)
// and a zone (`Z`, `UTC`/`UT`/`GMT`, the US abbreviations Ruby knows -- EST EDT CST CDT MST MDT
// PST PDT --, or `+HH`, `+HHMM`, `+HH:MM`); and 8-digit `YYYYMMDD`. Ruby ignores zone words it
// does not know (JST, HKT...) and reads the time as local; so does this code. Anything else is
// an invalid date, where Ruby might still guess (`Dec 8 2021`, `2021-12-08 junk`).
// Impossible calendar values that Ruby silently rolls over (`2021-02-30` -> 2021-03-02) are
// invalid dates here: a deliberate difference, reported instead of guessed.
//
// Local times use the site's IANA zone through Intl, with Ruby's (mktime's) rules at DST
// changes: a time that does not exist (spring forward gap) moves forward by the gap
// (02:30 -> 03:30 EDT); an ambiguous time (fall back) takes the later instant (standard time).

import type { DateSource } from './front-matter';
import { InvalidDateError } from './errors';

export interface YMD {
  y: number;
  m: number;
  d: number;
}

export interface ResolvedDate {
  /** The instant, epoch milliseconds (whole seconds). */
  ms: number;
  /** Minutes east of UTC: as written when the value names an offset; for local times, the site
   * zone's offset at that instant; 0 for a zoneless YAML timestamp (UTC). */
  offset: number;
}

interface WallTime {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

// Psych::ScalarScanner::TIME and its date regexp.
const PSYCH_TIME =
  /^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$/;
const PSYCH_DATE = /^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/;

// Ruby's Time::ZoneOffset (besides military letters other than Z).
const ZONE_WORDS: Record<string, number> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -5 * 60,
  EDT: -4 * 60,
  CST: -6 * 60,
  CDT: -5 * 60,
  MST: -7 * 60,
  MDT: -6 * 60,
  PST: -8 * 60,
  PDT: -7 * 60,
};

const TIME_PARSE_RE =
  /^\s*(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:\s*([A-Za-z]{1,5}|[+-]\d{1,2}(?::?\d{2})?))?\s*$/;
const COMPACT_DATE_RE = /^\s*(\d{4})(\d{2})(\d{2})\s*$/;

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function isValidYMD(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function validWall(w: WallTime): boolean {
  if (!isValidYMD(w.y, w.mo, w.d)) return false;
  if (w.mi > 59 || w.s > 60) return false;
  if (w.h > 24 || (w.h === 24 && (w.mi !== 0 || w.s !== 0))) return false; // 24:00:00 = next day, as Ruby
  return true;
}

function wallToUtcMs(w: WallTime): number {
  const ms = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  // Date.UTC maps years 0..99 to 1900..1999.
  if (w.y >= 0 && w.y < 100) {
    const dt = new Date(ms);
    dt.setUTCFullYear(dt.getUTCFullYear() - 1900);
    return dt.getTime();
  }
  return ms;
}

// ---------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows this IANA zone name. */
export function isValidTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** `format()` of the formatter above, e.g. `9/13/2020 AD, 20:26:40`: month, day, year, era, h, m, s. */
const FORMATTED = /^(\d{1,2})\/(\d{1,2})\/(\d{1,6}) (AD|BC), (\d{1,2}):(\d{2}):(\d{2})$/;

/** Wall-clock fields of an instant in a zone, read from formatToParts (any ICU output shape). */
function wallFromParts(f: Intl.DateTimeFormat, date: Date): WallTime {
  const parts = f.formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  let year = parseInt(get('year'), 10);
  if (/^B/i.test(get('era'))) year = 1 - year;
  return {
    y: year,
    mo: parseInt(get('month'), 10),
    d: parseInt(get('day'), 10),
    h: parseInt(get('hour'), 10) % 24,
    mi: parseInt(get('minute'), 10),
    s: parseInt(get('second'), 10),
  };
}

/**
 * Wall-clock fields of an instant in a zone. `format()` costs a quarter of `formatToParts()` and
 * this runs for every post's permalink; an output of another shape (another ICU) takes the parts.
 */
function wallIn(f: Intl.DateTimeFormat, date: Date): WallTime {
  const m = FORMATTED.exec(f.format(date));
  if (!m) return wallFromParts(f, date);
  const year = parseInt(m[3], 10);
  return {
    y: m[4] === 'BC' ? 1 - year : year,
    mo: parseInt(m[1], 10),
    d: parseInt(m[2], 10),
    h: parseInt(m[5], 10) % 24,
    mi: parseInt(m[6], 10),
    s: parseInt(m[7], 10),
  };
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). UTC when zone is null. */
export function zoneOffsetMs(zone: string | null, ms: number): number {
  if (!zone) return 0;
  const whole = Math.floor(ms / 1000) * 1000;
  return wallToUtcMs(wallIn(formatter(zone), new Date(whole))) - whole;
}

/** zoneOffsetMs read from formatToParts only: what the `format()` reading must equal (tests). */
export function zoneOffsetMsFromParts(zone: string, ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallToUtcMs(wallFromParts(formatter(zone), new Date(whole))) - whole;
}

/** Minutes east of UTC of the zone at an instant (rounded: LMT offsets have seconds). */
export function zoneOffsetMinutes(zone: string | null, ms: number): number {
  return Math.round(zoneOffsetMs(zone, ms) / 60000);
}

/** The instant of a wall-clock time in a zone, with Ruby's rules for DST gaps and overlaps. */
export function localToInstant(w: WallTime, zone: string | null): number {
  const wall = wallToUtcMs(w);
  if (!zone) return wall;
  const DAY = 86_400_000;
  const before = zoneOffsetMs(zone, wall - DAY);
  const after = zoneOffsetMs(zone, wall + DAY);
  const here = zoneOffsetMs(zone, wall);
  const candidates = Array.from(new Set([before, here, after]));
  const valid = candidates.map((o) => wall - o).filter((t) => wall - zoneOffsetMs(zone, t) === t);
  if (valid.length > 0) return Math.max(...valid); // ambiguous: the later instant (standard time)
  return wall - before; // gap: shift forward by the gap, like mktime
}

/** The wall-clock fields of an instant in a zone (UTC when zone is null). */
export function instantToWall(ms: number, zone: string | null): Date {
  // A Date whose UTC fields are the wall-clock fields.
  return new Date(ms + zoneOffsetMs(zone, ms));
}

// ---------------------------------------------------------------------------------------------
// Parsing

function num(s: string | undefined): number {
  return s === undefined ? 0 : parseInt(s, 10);
}

/** Offset text `+0800`, `+08:00`, `+8`, `-0330` -> minutes, or null when malformed. */
function parseOffset(text: string): number | null {
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(text);
  if (!m) return null;
  const h = parseInt(m[2], 10);
  const mi = m[3] ? parseInt(m[3], 10) : 0;
  if (h > 23 || mi > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

function invalid(input: string, detail?: string): never {
  throw new InvalidDateError(input, detail);
}

/** A Psych timestamp (plain scalar matching TIME): zoneless means UTC. */
function resolvePsychTimestamp(text: string): ResolvedDate {
  const m =
    /^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.\d*)?(?:\s*(Z|[-+]\d{1,2}:?(?:\d\d)?))?$/.exec(
      text,
    );
  if (!m) invalid(text);
  const w: WallTime = { y: num(m[1]), mo: num(m[2]), d: num(m[3]), h: num(m[4]), mi: num(m[5]), s: num(m[6]) };
  if (!validWall(w)) invalid(text, 'no such day or time');
  const zone = m[7];
  let offset = 0;
  if (zone && zone !== 'Z') {
    const o = parseOffset(zone);
    if (o === null) invalid(text, 'bad UTC offset');
    offset = o;
  }
  return { ms: wallToUtcMs(w) - offset * 60000, offset };
}

/** Ruby's Time.parse (the supported subset) in the site zone. */
export function resolveTimeParse(input: string, zone: string | null): ResolvedDate {
  let w: WallTime;
  let zoneText: string | undefined;
  const m = TIME_PARSE_RE.exec(input);
  if (m) {
    w = { y: num(m[1]), mo: num(m[3]), d: num(m[4]), h: num(m[5]), mi: num(m[6]), s: num(m[7]) };
    zoneText = m[9];
  } else {
    const c = COMPACT_DATE_RE.exec(input);
    if (!c) invalid(input);
    w = { y: num(c[1]), mo: num(c[2]), d: num(c[3]), h: 0, mi: 0, s: 0 };
  }
  if (!validWall(w)) invalid(input, 'no such day or time');

  let written: number | null = null;
  if (zoneText !== undefined) {
    if (/^[+-]/.test(zoneText)) {
      written = parseOffset(zoneText);
      if (written === null) invalid(input, 'bad UTC offset');
    } else {
      const known = ZONE_WORDS[zoneText.toUpperCase()];
      // Ruby ignores zone words it does not know and reads the time as local.
      if (known !== undefined) written = known;
    }
  }
  if (written !== null) return { ms: wallToUtcMs(w) - written * 60000, offset: written };
  const ms = localToInstant(w, zone);
  return { ms, offset: zoneOffsetMinutes(zone, ms) };
}

/** Local midnight of a calendar day in the site zone. */
export function localMidnight(date: YMD, zone: string | null): ResolvedDate {
  if (!isValidYMD(date.y, date.m, date.d)) {
    invalid(`${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`, 'no such day');
  }
  const ms = localToInstant({ y: date.y, mo: date.m, d: date.d, h: 0, mi: 0, s: 0 }, zone);
  return { ms, offset: zoneOffsetMinutes(zone, ms) };
}

function truncateToSeconds(r: ResolvedDate): ResolvedDate {
  return { ms: Math.floor(r.ms / 1000) * 1000, offset: r.offset };
}

/**
 * The post's date, as Jekyll 4 computes it.
 * @param source how `date:` was written (null: no `date:` key)
 * @param fileDate the date from the file name (used when there is no `date:`)
 * @param timezone the site's IANA zone (`timezone:` in _config.yml), null for UTC
 * @throws InvalidDateError ("invalid date 'X'") when Jekyll could not read it either
 */
export function resolveDate(
  source: DateSource | null | undefined,
  fileDate: YMD | null | undefined,
  timezone: string | null,
): ResolvedDate {
  if (!source) {
    if (!fileDate) invalid('', 'no date in front matter or file name');
    return localMidnight(fileDate, timezone);
  }
  if (source.style === 'other') invalid(source.raw || source.text, 'a list or mapping is not a date');
  const text = source.text;
  if (source.style === 'plain') {
    const t = text.trim();
    if (PSYCH_TIME.test(t)) return truncateToSeconds(resolvePsychTimestamp(t));
    if (PSYCH_DATE.test(t)) {
      const [y, m, d] = t.split('-').map((x) => parseInt(x, 10));
      return localMidnight({ y, m, d }, timezone);
    }
  }
  if (text.trim() === '') invalid(text, 'empty date');
  return truncateToSeconds(resolveTimeParse(text, timezone));
}

/** ISO 8601 text of an instant with the given offset, e.g. `2021-12-08T10:19:17+08:00`. */
export function formatWithOffset(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60000);
  const pad = (n: number, l = 2) => String(n).padStart(l, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

// Fast path for the front matter nearly every post has: one `key: value` line per key, each value a
// one-line plain scalar or a quoted string without escapes (`title: "…"`, `date: 2021-12-08 10:46:18`,
// `categories: emnews`). Reading such a block with the full YAML loader costs ~10% of a post's
// parse; this reads it line by line and gives the same data and date source. Anything it is not
// certain of (comments, blank lines, lists, escapes, flow or block indicators, duplicate keys,
// control characters, `\r`) returns null and the caller uses the full loader.
import type { DateSource } from './front-matter';
import { plainScalarValue } from './yaml';

export interface FlatFrontMatter {
  data: Record<string, unknown>;
  dateSource: DateSource | null;
}

/** A key the full loader reads as this same string (not `yes`, `null`, `1`, `<<`; far below YAML's 1,024-character implicit-key limit). */
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const LINE = /^([^:]*):( +)(.*)$/;
/** Control characters other than the line feed, NEL, BOM, line/paragraph separators, C1: YAML restricts or folds them. */
// eslint-disable-next-line no-control-regex
const UNUSUAL_CHAR = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;
/** First characters that make a value something other than a plain scalar (YAML indicators). */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`]/;
/** Characters that end or complicate a plain scalar in some context: refused anywhere. */
const PLAIN_UNSAFE = /[#[\]{},"'\\]|: |:$/;

type FlatValue = { value: string | number | boolean | null; text: string; quoted: boolean };

function readValue(raw: string): FlatValue | null {
  if (raw === '' || raw !== raw.trimEnd()) return null;
  const first = raw[0];
  if (first === '"' || first === "'") {
    if (raw.length < 2 || raw[raw.length - 1] !== first) return null;
    const inner = raw.slice(1, -1);
    if (inner.includes(first) || inner.includes('\\')) return null;
    return { value: inner, text: inner, quoted: true };
  }
  if (INDICATOR_START.test(raw) || PLAIN_UNSAFE.test(raw)) return null;
  return { value: plainScalarValue(raw), text: raw, quoted: false };
}

/**
 * `yaml` is the block splitFrontMatter returns (opening `---` line included). The same data as
 * loadYaml(yaml).value and the same date source as the full path, or null when not flat.
 */
export function readFlatFrontMatter(yaml: string): FlatFrontMatter | null {
  if (!yaml.startsWith('---\n') || yaml.includes('\r') || yaml.includes('\t') || UNUSUAL_CHAR.test(yaml)) return null;
  const lines = yaml.split('\n');
  // `---`, the key lines, and the empty string after the block's final newline.
  if (lines.length < 3 || lines[lines.length - 1] !== '') return null;
  const data: Record<string, unknown> = {};
  let dateSource: DateSource | null = null;
  for (let i = 1; i < lines.length - 1; i++) {
    const m = LINE.exec(lines[i]);
    if (!m) return null;
    const key = m[1];
    if (!KEY.test(key) || plainScalarValue(key) !== key || Object.prototype.hasOwnProperty.call(data, key)) return null;
    const v = readValue(m[3]);
    if (!v) return null;
    // Defined, not assigned: `__proto__` is an ordinary key (as in yaml.ts's toPlain).
    Object.defineProperty(data, key, { value: v.value, enumerable: true, writable: true, configurable: true });
    if (key === 'date') {
      dateSource = v.quoted
        ? { text: v.text, style: 'quoted', quoted: true, raw: m[3] }
        : { text: v.text, style: 'plain', quoted: false, raw: m[3] };
    }
  }
  return { data, dateSource };
}

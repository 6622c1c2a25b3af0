// YAML loading that reads plain scalars the way Jekyll 4.3 does.
//
// Jekyll 4.3 loads front matter and _config.yml with
// `Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true)` (Utils#safe_load_yaml),
// so plain (unquoted) scalars go through Psych::ScalarScanner#tokenize, a YAML 1.1 reading with
// Ruby-specific quirks. The `yaml` package's 'yaml-1.1' schema differs in places that matter for
// real front matter, so its scalar tags are replaced by ones that copy Psych (Ruby 3.1, psych 4):
//   - booleans: yes/true/on, no/false/off in ANY letter case; `y`/`n` stay strings;
//   - null: `~`, `null` in any case, empty;
//   - integers: `1,000` is 1000 (commas allowed), `017` octal, `0x1F`, `0b101`; `0o17` is a string;
//   - "sexagesimal" `10:30` is 37800 (Psych weights the parts 3600/60/1 from the left);
//   - floats need a dot: `1e3` is a string, `1.0e+3` is 1000;
//   - timestamps and dates (`2021-12-08 10:46:18`, `2021-12-08`) are kept as their source text
//     (JSON-safe); dates.ts reads them with Jekyll's semantics.
// Deliberate differences (JSON-safe data, no Ruby objects):
//   - `.inf` / `.nan` stay strings (JSON has no Infinity/NaN);
//   - integers beyond 2^53 stay exact decimal strings (Ruby keeps bignums; a JS number would not);
//   - `:symbol` scalars stay strings (Psych.safe_load raises DisallowedClass and Jekyll then logs
//     "could not read file" and builds the post from nothing);
//   - `!!binary`/`!!set`/`!!omap`/`!!pairs` and other explicit tags are not resolved (data only).
// Duplicate keys: the last one wins, like Psych.

import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  YAMLMap,
  type Node as YamlNode,
  type ParsedNode,
  type ScalarTag,
  type Tags,
} from 'yaml';

/** The value of a scalar node under psychTags (an unresolved explicit tag leaves the string). */
export type PsychScalarValue = string | number | boolean | null;

/** Aliases allowed before a document is treated as an alias bomb (yaml's maxAliasCount). */
export const MAX_ALIAS_COUNT = 100;
/** Upper bound on values in the plain data after alias expansion. */
export const MAX_DATA_NODES = 100_000;
/**
 * Upper bound on the nesting of lists and mappings. Without it, front matter nested a few
 * thousand levels deep (a few KB of `[[[[...`) parsed on a worker thread (larger stack) could not be
 * passed back to the main thread (structured clone overflows its stack: 'messageerror', the parse
 * pool then waited forever) or stored (JSON.stringify overflowed in the writer and aborted the whole
 * import), and whether it parsed at all depended on the thread's stack size.
 */
export const MAX_DATA_DEPTH = 100;

const TOO_DEEP = `YAML is nested too deeply (more than ${MAX_DATA_DEPTH} levels of lists or mappings); refusing to load it`;

/** The parser's own recursion hitting the stack limit means nesting, not a syntax error: say so. */
function describeLoadError(message: string): string {
  return /Maximum call stack size exceeded/.test(message) ? TOO_DEEP : message;
}

/** First line of a yaml error (prettyErrors adds the offending source lines after it). */
function firstLine(message: string): string {
  return message.split('\n')[0].replace(/:\s*$/, '').trim();
}

export class YamlLoadError extends Error {
  constructor(message: string) {
    super(firstLine(message));
    this.name = 'YamlLoadError';
  }
}

const NULL_TAG = 'tag:yaml.org,2002:null';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';

// Psych::ScalarScanner::INTEGER (legacy, non-strict: the form Jekyll gets).
const PSYCH_INT = /^(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[0-9a-fA-F_,]+)$/;
// Psych::ScalarScanner::FLOAT
const PSYCH_FLOAT = /^[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?$/;
const PSYCH_SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}$/;
const PSYCH_SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*$/;

function parsePsychInt(src: string): number | string {
  let s = src.replace(/[,_]/g, '');
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  let big: bigint;
  try {
    if (/^0b/i.test(s)) big = BigInt(s);
    else if (/^0x/i.test(s)) big = BigInt(s);
    else if (/^0[0-7]+$/.test(s)) big = BigInt('0o' + s.slice(1));
    else big = BigInt(s);
  } catch {
    return src; // Ruby's Integer() would raise; keep the text
  }
  if (negative) big = -big;
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big.toString();
}

/** Ruby String#to_i / #to_f on one sexagesimal part (digits, underscores, optional sign). */
function rubyNumberPart(part: string, float: boolean): number {
  const cleaned = part.replace(/_/g, '');
  const n = float ? parseFloat(cleaned) : parseInt(cleaned, 10);
  return Number.isNaN(n) ? 0 : n;
}

function parseSexagesimal(src: string, float: boolean): number {
  // Psych: string.split(':').each_with_index { |n, e| i += n.to_i * 60 ** (e - 2).abs }
  let total = 0;
  src.split(':').forEach((part, e) => {
    total += rubyNumberPart(part, float) * 60 ** Math.abs(e - 2);
  });
  return total;
}

const psychScalarTags: ScalarTag[] = [
  {
    tag: NULL_TAG,
    default: true,
    test: /^(?:~|[Nn][Uu][Ll][Ll])?$/,
    resolve: () => new Scalar(null),
  },
  {
    tag: BOOL_TAG,
    default: true,
    test: /^(?:yes|true|on)$/i,
    resolve: () => new Scalar(true),
  },
  {
    tag: BOOL_TAG,
    default: true,
    test: /^(?:no|false|off)$/i,
    resolve: () => new Scalar(false),
  },
  {
    tag: INT_TAG,
    default: true,
    test: PSYCH_SEXAGESIMAL_INT,
    resolve: (s: string) => parseSexagesimal(s, false),
  },
  {
    tag: FLOAT_TAG,
    default: true,
    test: PSYCH_SEXAGESIMAL_FLOAT,
    resolve: (s: string) => parseSexagesimal(s, true),
  },
  {
    tag: FLOAT_TAG,
    default: true,
    test: PSYCH_FLOAT,
    resolve: (s: string) => {
      if (/^[-+]?\.$/.test(s)) return s;
      const n = Number(s.replace(/[,_]/g, ''));
      return Number.isFinite(n) ? n : s;
    },
  },
  {
    tag: INT_TAG,
    default: true,
    test: PSYCH_INT,
    resolve: (s: string) => parsePsychInt(s),
  },
];

/**
 * The JSON-safe value of a one-line plain scalar, as loadYaml reads it: the first of psychTags'
 * scalar tags whose test matches (yaml's findScalarTagByTest: the kept map/seq/str tags have no
 * test), else the string itself; then toPlain's conversion. For the flat front matter fast path.
 */
export function plainScalarValue(text: string): PsychScalarValue {
  for (const tag of psychScalarTags) {
    if (!tag.test?.test(text)) continue;
    const resolved: unknown = tag.resolve(text, () => undefined, {});
    const v = resolved instanceof Scalar ? (resolved.value as unknown) : resolved;
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
    return v as string | boolean;
  }
  return text;
}

const KEEP_TAGS = new Set([
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:merge',
]);

function psychTags(defaults: Tags): Tags {
  const kept = defaults.filter((t) => typeof t === 'object' && KEEP_TAGS.has(t.tag));
  return [...kept, ...psychScalarTags];
}

export interface LoadedYaml {
  /** The first YAML document (Psych.safe_load reads only the first), or null for an empty stream. */
  doc: Document.Parsed | null;
  /** Plain, JSON-safe value of the document. */
  value: unknown;
}

/**
 * Parse YAML like Jekyll's safe loader and return plain JSON-safe data.
 * Throws YamlLoadError with the parser's message (line and column included) on bad YAML or an
 * alias bomb.
 */
export function loadYaml(text: string): LoadedYaml {
  const docs = parseAllDocuments(text, {
    version: '1.1',
    customTags: psychTags,
    uniqueKeys: false,
    prettyErrors: true,
    merge: true,
    intAsBigInt: false,
  });
  if ('empty' in docs && docs.empty) {
    if (docs.errors.length) throw new YamlLoadError(describeLoadError(docs.errors[0].message));
    return { doc: null, value: null };
  }
  const doc = docs[0] ?? null;
  if (!doc) return { doc: null, value: null };
  if (doc.errors.length) throw new YamlLoadError(describeLoadError(doc.errors[0].message));
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT, mapAsMap: false });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new YamlLoadError(describeLoadError(msg));
  }
  return { doc, value: toPlain(value) };
}

/** A string, number or boolean: the values of toPlain's data that are neither null nor collections. */
export function isPlainScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** Convert a value from yaml's toJS into JSON-safe data, with a size and a depth budget. */
export function toPlain(value: unknown): unknown {
  let budget = MAX_DATA_NODES;
  let depth = 0;
  const walk = (v: unknown): unknown => {
    if (--budget < 0) {
      throw new YamlLoadError(
        `YAML expands to more than ${MAX_DATA_NODES} values (alias expansion); refusing to load it`,
      );
    }
    if (v !== null && typeof v === 'object' && !(v instanceof Date) && !(v instanceof Uint8Array)) {
      if (++depth > MAX_DATA_DEPTH) throw new YamlLoadError(TOO_DEEP);
      try {
        return walkCollection(v);
      } finally {
        depth--;
      }
    }
    return walkScalar(v);
  };
  const walkScalar = (v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only a symbol or a function gets here: walk() sends every other object to walkCollection
    return String(v);
  };
  const walkCollection = (v: object): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Set) return Array.from(v, walk);
    if (v instanceof Map) {
      const out: Record<string, unknown> = {};
      for (const [k, val] of v) setKey(out, String(k), walk(val));
      return out;
    }
    if (typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) setKey(out, k, walk((v as Record<string, unknown>)[k]));
      return out;
    }
    return String(v);
  };
  return walk(value);
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` is an ordinary key in YAML; never let it change the prototype.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Find the node of a top-level key (the last one when repeated, as Psych keeps the last). */
export function findTopLevelNode(doc: Document.Parsed | null, key: string): { found: boolean; node: YamlNode | null } {
  const contents = doc?.contents;
  if (!contents || !isMap(contents)) return { found: false, node: null };
  let result: { found: boolean; node: YamlNode | null } = { found: false, node: null };
  for (const pair of (contents as YAMLMap<unknown, unknown>).items) {
    const k = pair.key;
    const kv = isScalar(k) ? k.value : k;
    if (kv === key) {
      let node = (pair.value ?? null) as YamlNode | null;
      if (node && isAlias(node)) {
        node = node.resolve(doc) ?? null;
      }
      result = { found: true, node };
    }
  }
  return result;
}

export function isCollectionNode(node: YamlNode | null): boolean {
  return !!node && (isMap(node) || isSeq(node));
}

export type { ParsedNode };

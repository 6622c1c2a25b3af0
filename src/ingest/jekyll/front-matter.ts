// Front matter: split like Jekyll 4, parse like Psych, never execute.
//
// Splitting follows Jekyll's Document::YAML_FRONT_MATTER_REGEXP
// (/\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)/m), computed in linear time (splitFrontMatter).
// gray-matter is deliberately NOT on this path, although it is the project's front matter
// library, for three measured reasons:
//   1. parity: it splits differently from Jekyll on edge cases -- it closes at the first "\n---"
//      even when that line is "---x" or "----", does not accept "..." as the closing line, treats
//      an unclosed block as front matter, keeps the blank lines Jekyll's `\s*$\n?` swallows, and
//      accepts `---yaml` / `---js` opening lines that Jekyll does not read as front matter;
//   2. cost: its comment-stripping regexp (/^\s*#[^\n]+/gm) is quadratic on runs of blank lines
//      (100k blank lines: ~8 s), a denial of service for an importer of untrusted archives;
//   3. safety: it evaluates `---js` / `---javascript` front matter with eval, and
//      `engines: { js: false }` does not stop it (the lookup falls through to `javascript`).
// For any other code that wants gray-matter, safeGrayMatter() below wraps it safely: a full
// options object every time (without options it caches results by content), every code-running
// engine replaced by a function that throws, unknown languages rejected before gray-matter sees
// them, and YAML parsed by the same Psych-like loader.
//
// Language tags: `---js`, `---javascript`, `---coffee` (any case, any spacing) are rejected as
// executable front matter; any other tag except yaml/yml is an unsupported language. (Jekyll
// itself would not see front matter in such a file; reporting the intent is more useful.)

import matter from 'gray-matter';
import { isScalar, type Node as YamlNode, type Scalar } from 'yaml';
import { FrontMatterError, NoFrontMatterError } from './errors';
import { readFlatFrontMatter } from './flat-front-matter';
import {
  findTopLevelNode,
  isCollectionNode,
  isPlainScalar,
  loadYaml,
  YamlLoadError,
  type PsychScalarValue,
} from './yaml';

/** How `date:` was written; Jekyll reads plain and quoted values differently. */
export interface DateSource {
  /** The value's text: as written for a plain scalar; the unescaped string for a quoted one. */
  text: string;
  /**
   * `plain`: an unquoted scalar (YAML may read it as a timestamp or date);
   * `quoted`: a quoted or block scalar, or one tagged `!!str` (always a string);
   * `other`: a list or mapping (never a valid date).
   */
  style: 'plain' | 'quoted' | 'other';
  /** True when the value was a quoted (or block, or !!str) string. */
  quoted: boolean;
  /** The source text exactly as written in the file (quotes included). */
  raw: string;
}

export interface ParsedFrontMatter {
  /** Front matter as JSON-safe data (timestamps kept as their source text). */
  data: Record<string, unknown>;
  /** The body after the front matter, as Jekyll sees it. */
  content: string;
  /** How `date:` was written, or null when the key is absent. */
  dateSource: DateSource | null;
}

const EXECUTABLE_LANGUAGES = new Set(['js', 'javascript', 'coffee', 'coffeescript', 'cson']);
const YAML_LANGUAGES = new Set(['yaml', 'yml']);

function executableError(lang: string): FrontMatterError {
  return new FrontMatterError('executable', `executable front matter (---${lang}) is not allowed`);
}

function unsupportedError(lang: string): FrontMatterError {
  return new FrontMatterError('language', `front matter language '${lang}' is not supported (only YAML)`);
}

/** Reject a gray-matter language tag unless it is empty or YAML. */
function checkLanguage(lang: string): void {
  if (lang === '') return;
  const key = lang.toLowerCase();
  if (EXECUTABLE_LANGUAGES.has(key)) throw executableError(lang);
  if (!YAML_LANGUAGES.has(key)) throw unsupportedError(lang);
}

/**
 * gray-matter options that never run code: YAML goes through the Psych-like loader, every
 * executable engine (js, javascript, coffee, ...) throws, other known engines are unsupported.
 */
export function safeGrayMatterOptions(): Record<string, unknown> {
  const yamlEngine = {
    parse: (str: string): Record<string, unknown> => {
      const v = loadYaml(str).value;
      if (v === null || v === undefined || v === false) return {};
      if (typeof v !== 'object' || Array.isArray(v)) {
        throw new FrontMatterError('not-mapping', 'front matter is not a mapping of keys to values');
      }
      return v as Record<string, unknown>;
    },
  };
  const engines: Record<string, unknown> = { yaml: yamlEngine, yml: yamlEngine };
  for (const lang of EXECUTABLE_LANGUAGES) {
    const thrower = (): never => {
      throw executableError(lang);
    };
    engines[lang] = { parse: thrower, stringify: thrower };
  }
  for (const lang of ['json', 'toml']) {
    engines[lang] = {
      parse: (): never => {
        throw unsupportedError(lang);
      },
    };
  }
  return { language: 'yaml', excerpt: false, engines };
}

// gray-matter's generic option type does not describe engine objects well; call it loosely.
const grayMatter = matter as unknown as (
  input: string,
  options: object,
) => { data: Record<string, unknown>; content: string; language?: string };

/**
 * gray-matter with safeGrayMatterOptions(), for code that wants gray-matter's own reading.
 * (The import path uses parseFrontMatter, which follows Jekyll.) Throws FrontMatterError for
 * executable or unknown languages and YAML errors.
 */
export function safeGrayMatter(text: string): { data: Record<string, unknown>; content: string } {
  const source = stripBom(text);
  const lang = frontMatterLanguage(source);
  if (lang !== null) checkLanguage(lang);
  try {
    const file = grayMatter(source, safeGrayMatterOptions());
    return { data: file.data, content: file.content };
  } catch (e) {
    if (e instanceof FrontMatterError) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    throw new FrontMatterError('yaml', `invalid YAML front matter: ${msg}`);
  }
}

/** Ruby's \s: ASCII whitespace only. */
function isRubySpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
}

const BOM = '\uFEFF';

export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

/**
 * The language tag gray-matter would read after the opening delimiter (`---js` -> `js`),
 * or '' when there is none. Returns null when the text does not open with `---`.
 */
export function frontMatterLanguage(text: string): string | null {
  if (!text.startsWith('---') || text.charAt(3) === '-') return null;
  const nl = text.search(/\r?\n/);
  const firstLine = nl === -1 ? text : text.slice(0, nl);
  return firstLine.slice(3).trim();
}

/**
 * Split like Jekyll: the YAML block (with its opening `---` line) and the body, or null.
 *
 * Same result as Jekyll's Document::YAML_FRONT_MATTER_REGEXP,
 *   /\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)/m   (Ruby: \s is ASCII, `.` matches "\n",
 *   ^ and $ are line anchors),
 * computed in one linear pass: the regexp backtracks quadratically on long runs of blank lines.
 *   - opening: `---`, then a whitespace run that must contain a "\n"; greedy, so it ends at the
 *     run's LAST "\n" (a closing line cannot start inside a whitespace run anyway);
 *   - closing: the first line from there that starts with `---` or `...` followed by a
 *     whitespace run reaching an end of line (greedy: the run's last "\n", or the end of the
 *     text), plus that "\n".
 */
export function splitFrontMatter(text: string): { yaml: string; content: string } | null {
  if (!text.startsWith('---')) return null;
  const n = text.length;
  let i = 3;
  let open = -1;
  while (i < n && isRubySpace(text[i])) {
    if (text[i] === '\n') open = i + 1;
    i++;
  }
  if (open === -1) return null;

  let line = open; // always a line start
  while (line <= n) {
    const fence = text.startsWith('---', line) || text.startsWith('...', line);
    if (fence) {
      let j = line + 3;
      let eol = -1;
      while (j < n && isRubySpace(text[j])) {
        if (text[j] === '\n') eol = j;
        j++;
      }
      if (j === n) eol = n; // `$` at the end of the text (greedy: the furthest end of line)
      if (eol !== -1) {
        const end = eol < n && text[eol] === '\n' ? eol + 1 : eol;
        return { yaml: text.slice(0, line), content: text.slice(end) };
      }
    }
    const next = text.indexOf('\n', line);
    if (next === -1) break;
    line = next + 1;
  }
  return null;
}

/**
 * Parse a file's front matter.
 * Throws NoFrontMatterError when there is none, FrontMatterError when it cannot be read as data
 * (executable or unknown language, YAML error, alias bomb, not a mapping).
 */
export function parseFrontMatter(text: string, path: string): ParsedFrontMatter {
  void path; // messages are prefixed with the path by the caller
  const source = stripBom(text);

  const lang = frontMatterLanguage(source);
  if (lang === null) throw new NoFrontMatterError();
  checkLanguage(lang);

  // Jekyll decides what is front matter.
  const split = splitFrontMatter(source);
  if (!split) {
    if (lang !== '') {
      throw new NoFrontMatterError(`no front matter: Jekyll does not read "---${lang}" as a front matter opening line`);
    }
    throw new NoFrontMatterError('no front matter: the opening "---" line is never closed by a "---" (or "...") line');
  }

  const flat = readFlatFrontMatter(split.yaml);
  const read = flat ?? readFrontMatterYaml(split.yaml);
  return { data: read.data, content: split.content, dateSource: read.dateSource };
}

/**
 * The full reading of a front matter block (opening `---` line included) with the Psych-like
 * loader: what readFlatFrontMatter must equal wherever it answers. Throws FrontMatterError.
 */
export function readFrontMatterYaml(yaml: string): Pick<ParsedFrontMatter, 'data' | 'dateSource'> {
  let loaded;
  try {
    loaded = loadYaml(yaml);
  } catch (e) {
    const msg = e instanceof YamlLoadError || e instanceof Error ? e.message : String(e);
    throw new FrontMatterError('yaml', `invalid YAML front matter: ${msg}`);
  }

  const value = loaded.value;
  let data: Record<string, unknown>;
  if (value === null || value === undefined || value === false) {
    // Jekyll: `merge_data!(data_file) if data_file` -- empty (or `false`) front matter is no data.
    data = {};
  } else if (typeof value === 'object' && !Array.isArray(value)) {
    data = value as Record<string, unknown>;
  } else {
    const kind = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    throw new FrontMatterError('not-mapping', `front matter is not a mapping of keys to values (it is ${kind})`);
  }
  return { data, dateSource: readDateSource(loaded.doc, yaml, data) };
}

function readDateSource(
  doc: Parameters<typeof findTopLevelNode>[0],
  yamlText: string,
  data: Record<string, unknown>,
): DateSource | null {
  if (!Object.prototype.hasOwnProperty.call(data, 'date')) return null;
  const { found, node } = findTopLevelNode(doc, 'date');
  if (!found) {
    // Came in through a `<<` merge key: only the value is known.
    const v = data.date;
    const text = isPlainScalar(v) ? String(v) : v === null || v === undefined ? '' : JSON.stringify(v);
    const style = v !== null && typeof v === 'object' ? 'other' : 'plain';
    return { text, style, quoted: false, raw: text };
  }
  if (!node) return { text: '', style: 'plain', quoted: false, raw: '' };
  const raw = sourceOf(node, yamlText);
  if (isCollectionNode(node)) return { text: raw, style: 'other', quoted: false, raw };
  if (isScalar(node)) {
    const s = node as Scalar<PsychScalarValue> & { source?: string };
    const tag = s.tag;
    const isStrTag = tag === 'tag:yaml.org,2002:str' || tag === '!';
    if (s.type === 'PLAIN' && !isStrTag) {
      const text = typeof s.source === 'string' ? s.source : String(s.value ?? '');
      return { text, style: 'plain', quoted: false, raw };
    }
    const value = s.value;
    const text = value === null || value === undefined ? '' : String(value);
    return { text, style: 'quoted', quoted: true, raw };
  }
  return { text: raw, style: 'other', quoted: false, raw };
}

function sourceOf(node: YamlNode, yamlText: string): string {
  const range = (node as { range?: [number, number, number] }).range;
  if (!range) return '';
  return yamlText.slice(range[0], range[1]);
}

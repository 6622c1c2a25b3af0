// Test helpers: a structural safety check of rendered HTML (parsed, not pattern-matched), and posts.
import fs from 'node:fs';
import path from 'node:path';
import { Parser } from 'htmlparser2';

export const FINEWS = path.join(__dirname, '..', '..', 'seeds', 'finews');

/** The body after the front matter, split off simply. */
export function postBody(rel: string): string {
  const src = fs.readFileSync(path.join(FINEWS, rel), 'utf8');
  const m = /^---\r?\n[\s\S]*?\r?\n---[ \t]*\r?\n?/.exec(src);
  return m ? src.slice(m[0].length) : src;
}

export function postFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(FINEWS, dir))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

const ALLOWED: Record<string, string[]> = {
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'width', 'height'],
  abbr: ['title'],
  ol: ['start'],
  p: ['align'],
  div: ['align'],
  td: ['colspan', 'rowspan', 'align'],
  th: ['colspan', 'rowspan', 'align'],
  code: ['class'],
};
for (const t of [
  'br',
  'wbr',
  'hr',
  'strong',
  'b',
  'em',
  'i',
  'u',
  's',
  'del',
  'ins',
  'sub',
  'sup',
  'mark',
  'small',
  'kbd',
  'blockquote',
  'ul',
  'li',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'caption',
  'colgroup',
  'col',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'pre',
  'figure',
  'figcaption',
]) {
  ALLOWED[t] = [];
}

const SAFE_SCHEMES = ['http', 'https', 'mailto'];

/** Every way `html` breaks the output policy; [] when it is safe. */
export function unsafeParts(html: string): string[] {
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const allowed = ALLOWED[name];
        if (!allowed) {
          problems.push(`tag <${name}>`);
          return;
        }
        for (const [attr, value] of Object.entries(attribs)) {
          if (!allowed.includes(attr)) problems.push(`attribute ${name}[${attr}]`);
          if (attr === 'href' || attr === 'src') {
            // eslint-disable-next-line no-control-regex -- on purpose: browsers drop controls and spaces before a URL's scheme
            const cleaned = value.replace(/[\x00-\x20]+/g, '');
            const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(cleaned);
            if (scheme && !SAFE_SCHEMES.includes(scheme[1].toLowerCase()))
              problems.push(`url ${name}[${attr}]=${value}`);
            if (name === 'img' && scheme && scheme[1].toLowerCase() === 'mailto') problems.push(`url img=${value}`);
          }
        }
        if (name === 'code' && attribs.class !== undefined && !/^(language-\S+\s*)+$/.test(attribs.class)) {
          problems.push(`class ${attribs.class}`);
        }
      },
      oncomment() {
        problems.push('comment');
      },
      onprocessinginstruction(name) {
        problems.push(`processing instruction ${name}`);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}

// The sanitizer (src/ingest/render/sanitizer.ts) replaced sanitize-html 2.17 under the same policy:
// on the real posts, 1,500 generated ones and hostile markup it must write the same HTML and call
// its hooks (the plain text's source) with the same events in the same order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sanitizeHtmlLib from 'sanitize-html';
import { generateArchive } from '../../bench/gen/main';
import { NO_TEXT_TAGS, HIDDEN_TAG } from '../../src/ingest/render/hidden';
import {
  ALLOWED_ATTRIBUTES,
  ALLOWED_TAGS,
  IMAGE_SCHEMES,
  LINK_SCHEMES,
  SELF_CLOSING,
  transformElement,
} from '../../src/ingest/render/html-policy';
import { renderMarkdown } from '../../src/ingest/render/markdown';
import { type Frame, sanitizeHtml, type SanitizeHooks } from '../../src/ingest/render/sanitizer';
import { randomStrings } from '../helpers/random-strings';

/** The sanitize-html options the import used before (html-policy.ts's POLICY at 67ff7fa). */
const POLICY: sanitizeHtmlLib.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: Object.fromEntries(
    Object.entries(ALLOWED_ATTRIBUTES).map(([tag, list]) => [
      tag,
      list.map((a) => (typeof a === 'string' ? a : { name: a.name, values: [...a.values] })),
    ]),
  ),
  allowedClasses: { code: ['language-*'] },
  allowedSchemes: [...IMAGE_SCHEMES],
  allowedSchemesByTag: { a: [...LINK_SCHEMES], img: [...IMAGE_SCHEMES] },
  allowProtocolRelative: true,
  selfClosing: [...SELF_CLOSING],
  disallowedTagsMode: 'discard',
  nonTextTags: [...NO_TEXT_TAGS],
  parseStyleAttributes: false,
  enforceHtmlBoundary: false,
  transformTags: { '*': transformElement },
};

/** Hooks that log every call; the filter drops hidden elements, as sanitize.ts's does. */
function recorder(): { hooks: SanitizeHooks; log: string[] } {
  const log: string[] = [];
  const hooks: SanitizeHooks = {
    onOpenTag: (name, attribs) => log.push(`open ${name} ${JSON.stringify(attribs)}`),
    onCloseTag: (name, implied) => log.push(`close ${name} ${implied}`),
    onText: (text) => log.push(`text ${text}`),
    exclusiveFilter: (frame: Frame) => {
      log.push(`filter ${frame.tag} ${frame.name} ${frame.tagPosition}`);
      return frame.name === HIDDEN_TAG || frame.tag === HIDDEN_TAG;
    },
  };
  return { hooks, log };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function both(html: string): { ours: [string, string[]]; theirs: [string, string[]] } {
  const a = recorder();
  const ours = sanitizeHtml(html, a.hooks);
  const b = recorder();
  const theirs = sanitizeHtmlLib(html, {
    ...POLICY,
    onOpenTag: b.hooks.onOpenTag,
    onCloseTag: b.hooks.onCloseTag,
    textFilter: (escaped) => {
      b.hooks.onText(unescape(escaped));
      return escaped;
    },
    exclusiveFilter: (frame) => b.hooks.exclusiveFilter(frame),
  });
  return { ours: [ours, a.log], theirs: [theirs, b.log] };
}

function expectSame(inputs: string[]): void {
  let differ = 0;
  for (const html of inputs) {
    const { ours, theirs } = both(html);
    if (ours[0] !== theirs[0] || ours[1].join('\n') !== theirs[1].join('\n')) {
      // The first difference, whole, with its input.
      expect({ html, html_out: ours[0], log: ours[1] }).toEqual({ html, html_out: theirs[0], log: theirs[1] });
      differ++;
    }
  }
  expect(differ).toBe(0);
}

const FINEWS = path.join(__dirname, '..', '..', 'seeds', 'finews');
const bodyOf = (src: string) => /^---\n[\s\S]*?\n---\n?([\s\S]*)$/.exec(src)?.[1] ?? src;
const files = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : p.endsWith('.md') ? [p] : [];
  });

test('the real posts: rendered Markdown and the raw bodies', () => {
  const bodies = files(FINEWS).map((f) => bodyOf(fs.readFileSync(f, 'utf8')));
  expect(bodies.length).toBeGreaterThan(100);
  expectSame([...bodies.map((b) => renderMarkdown(b).html), ...bodies]);
});

test('1,500 generated posts', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sanitizer-parity-'));
  try {
    await generateArchive({ posts: 1500, out, seed: 3, force: true });
    const bodies = files(path.join(out, '_posts')).map((f) => bodyOf(fs.readFileSync(f, 'utf8')));
    expect(bodies).toHaveLength(1500);
    expectSame(bodies.map((b) => renderMarkdown(b).html));
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

/** Markup pieces an attacker or a broken page would write. */
const PIECES = [
  '<p>',
  '</p>',
  '<P ALIGN="CENTER">',
  '<p align="middle" style="color:red; text-align: Right">',
  '<p style="display:none">',
  '<div hidden>',
  '<div align="">',
  '</div>',
  '<center>',
  '</center>',
  '<a href="https://x.cn/a?b=1&c=2">',
  '<a href="javascript:alert(1)">',
  '<a href=" java\nscript:alert(1)">',
  '<a href="java<!-- x -->script:alert(1)">',
  '<a href="//evil.example/">',
  '<a href="\\\\evil.example/">',
  '<a href="/local">',
  '<a href="mailto:a@b.c" title="" rel="x" target="_blank" onclick="x()">',
  '<a href="">',
  '<a href="FTP://x">',
  '<a 1="x" b<c="y" href=x>',
  '</a>',
  '<img src="https://x.cn/a.png" alt="" width="120" height="9999999">',
  '<img src="data:image/png;base64,AAAA">',
  '<img src=//x.cn/a.png alt>',
  '<img alt="no source">',
  '<img src="http://x/a.png" width="50%" height=" 12 ">',
  '<br>',
  '<br/>',
  '</br>',
  '<hr>',
  '<wbr>',
  '<code class="language-js  hljs language-ts">',
  '<code class="hljs">',
  '<code class="">',
  '</code>',
  '<pre>',
  '</pre>',
  '<ol start="-3">',
  '<ol start="x">',
  '</ol>',
  '<li>',
  '<table><tr><td colspan="2" rowspan="x" align="justify">',
  '<th colspan="1000">',
  '</td></tr></table>',
  '<script>alert("<p>x</p>")</script>',
  '<style>p{}</style>',
  '<textarea><b>x</b></textarea>',
  '<svg><p>in svg</p></svg>',
  '<svg>',
  '</svg>',
  '<video>',
  '</video>',
  '<iframe src="x"><p>fallback</p></iframe>',
  '<noscript><p>n</p></noscript>',
  `<${HIDDEN_TAG}>`,
  `</${HIDDEN_TAG}>`,
  '<x-newsgraph-hidden style="">',
  '<span class="x">',
  '</span>',
  '<font color=red>',
  '<abbr title="t &amp; &quot;q&quot;">',
  '<!-- comment -->',
  '<![CDATA[ x ]]>',
  '<?xml ?>',
  '<!DOCTYPE html>',
  '&amp; &lt; &gt; &quot; &#60; &#x3C; &nbsp; &copy &unknown;',
  'text & more < less > "quoted" \'single\'',
  '中国联通',
  '\n\n',
  '<',
  '>',
  '</',
  '<a',
  '="',
];

test('hostile markup', () => {
  expectSame(randomStrings(PIECES, 2024, 6000, 30));
});

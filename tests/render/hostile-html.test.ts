// Hostile markup: the rendered HTML must stay within the policy, whatever the post contains.
import { render } from '../../src/ingest/render';
import { unsafeParts } from './safety';

const attacks: Array<[string, string]> = [
  ['tab entity in scheme', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
  ['raw tab in scheme', '<a href="jav\tascript:alert(1)">x</a>'],
  ['newline in scheme', '<a href="java\nscript:alert(1)">x</a>'],
  ['decimal entity', '<a href="&#106;avascript:alert(1)">x</a>'],
  [
    'hex entities everywhere',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
  ],
  ['named colon entity', '<a href="javascript&colon;alert(1)">x</a>'],
  ['leading space, mixed case', '<a href=" JaVaScRiPt:alert(1)">x</a>'],
  ['control char prefix', '<a href="\u0001javascript:alert(1)">x</a>'],
  ['comment inside scheme', '<a href="java<!-- -->script:alert(1)">x</a>'],
  ['vbscript', '<a href="vbscript:msgbox(1)">x</a>'],
  ['data link', '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>'],
  ['data image', '<img src="data:image/png;base64,AAAA">'],
  ['markdown data image', '![i](data:image/gif;base64,R0lGODlhAQABAAAAACw=)'],
  ['markdown javascript link', '[x](javascript:alert(1))'],
  ['markdown reference to javascript', '[x][r]\n\n[r]: javascript:alert(1)'],
  ['svg onload', '<svg onload=alert(1)><circle/></svg>'],
  ['svg inside a paragraph', '<p>a<svg><script>alert(1)</script></svg>b</p>'],
  ['img onerror', '<img src=x onerror=alert(1)>'],
  ['uppercase IMG javascript', '<IMG SRC="javascript:alert(1)">'],
  ['uppercase SCRIPT', '<SCRIPT>alert(1)</SCRIPT>'],
  ['split script', '<scr<script>ipt>alert(1)</script>'],
  ['split script 2', '<scr<script>ipt>alert(1)</scr</script>ipt>'],
  ['nested comments', '<!-- <!-- nested --> --><script>alert(1)</script>'],
  ['unclosed comment', '<p>a</p><!-- <script>alert(1)</script>'],
  ['conditional comment', '<!--[if IE]><script>alert(1)</script><![endif]-->'],
  ['CDATA', '<![CDATA[<script>alert(1)</script>]]>'],
  [
    'style element and attribute',
    '<style>*{x:expression(alert(1))}</style><p style="background:url(javascript:alert(1))">p</p>',
  ],
  ['event handlers', '<div onclick="alert(1)" onmouseover=alert(1) ONFOCUS=alert(1)>x</div>'],
  ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
  [
    'object/embed/applet',
    '<object data="x.swf"><param name=a value=b></object><embed src="x.swf"><applet code=x></applet>',
  ],
  [
    'form controls',
    '<form action="https://evil.example"><input name=a><button formaction="javascript:alert(1)">b</button><textarea><script>x</script></textarea></form>',
  ],
  ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
  ['base href', '<base href="https://evil.example/">'],
  ['link stylesheet', '<link rel=stylesheet href="https://evil.example/x.css">'],
  ['mXSS math/style', '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>'],
  ['noscript breakout', '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'],
  ['xmp breakout', '<xmp><script>alert(1)</script></xmp>'],
  ['title breakout', '<title></title><script>alert(1)</script>'],
  ['template', '<template><script>alert(1)</script></template>'],
  ['attribute quote breakout', '<a href="http://ok.example/" title="&quot;><script>alert(1)</script>">x</a>'],
  ['unquoted attribute breakout', '<a href=http://ok.example/ title=x onmouseover=alert(1)>x</a>'],
  ['weird attribute names', '<a href="http://ok.example" "onclick"=alert(1) /onclick=alert(1)>x</a>'],
  ['srcset with javascript', '<img src="http://ok.example/a.png" srcset="javascript:alert(1) 1x">'],
  ['formaction/xlink', '<a xlink:href="javascript:alert(1)">x</a>'],
  [
    'target/id/name clobbering',
    '<a href="http://ok.example" target="_top" id="x" name="cookie">x</a><img name="getElementById" src="http://a/b.png">',
  ],
  ['unknown tags', '<custom-el onclick=alert(1)>c</custom-el><font color=red>f</font>'],
  ['unbalanced', '<div><p>unclosed <b>bold <i>it</div></div></p><table><tr><td>c</div>'],
  ['stray closing tags', '</p></div></script></a>text'],
  ['null bytes', '<scri\u0000pt>alert(1)</script><a href="java\u0000script:alert(1)">x</a>'],
  ['protocol-relative backslashes', '<a href="\\\\evil.example/x">x</a>'],
  ['our internal tag names, forged', '<x-newsgraph-hidden>a</x-newsgraph-hidden><x-excerpt-end-0>b</x-excerpt-end-0>'],
  ['javascript in class of code', '```js" onclick="alert(1)\ncode\n```'],
];

describe.each(attacks)('%s', (_name, attack) => {
  const inputs = [attack, `前文\n\n${attack}\n\n后文`, `<p>${attack}</p>`, `> ${attack}`];
  test.each(inputs)('%j', (input) => {
    const r = render(input);
    expect(unsafeParts(r.html)).toEqual([]);
    // Text is escaped in the output, so every raw `<` opens a tag: check inside tags only.
    expect(r.html).not.toMatch(
      /<\s*\/?\s*(script|style|iframe|object|embed|form|input|svg|math|meta|base|link|textarea|xmp|noscript|template)\b/i,
    );
    expect(r.html).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    expect(r.html).not.toMatch(/<[^>]*(javascript|vbscript|data)(:|&colon;|&#)/i);
    expect(r.html).not.toMatch(/<[^>]*\sstyle\s*=/i);
  });
});

describe('what hostile markup turns into', () => {
  test('links with a bad scheme lose the URL, keep the text', () => {
    expect(render('<a href="jav&#x09;ascript:alert(1)" title="t">x</a>').html).toBe('<p><a title="t">x</a></p>');
    expect(render('<a href="data:text/html,hi">x</a> y').html).toBe('<p><a>x</a> y</p>');
  });

  test('images with a bad or missing source become an invisible <wbr />', () => {
    expect(render('a <img src="data:image/png;base64,AAAA" alt="d"> b <img alt="no src"> c').html).toBe(
      '<p>a <wbr /> b <wbr /> c</p>',
    );
  });

  test('event handlers and styles are dropped, the element stays', () => {
    expect(render('<img src=x onerror=alert(1)>').html).toBe('<img src="x" />');
    expect(render('<p style="color:red" onclick="x()">p</p>').html).toBe('<p>p</p>');
  });

  test('script and style content disappears from html and text', () => {
    const r = render('<SCRIPT>alert(1)</SCRIPT><style>p{}</style>visible');
    expect(r.html).toBe('visible');
    expect(r.text).toBe('visible');
  });

  test('hidden elements (style or attribute) are dropped with their content', () => {
    const r = render(
      '<p hidden>secret</p><div style="visibility: hidden">s2</div><p style="DISPLAY : NONE">s3</p><p>shown</p>',
    );
    expect(r.html).toBe('<p>shown</p>');
    expect(r.text).toBe('shown');
  });

  test('our internal tag names in a post are dropped, content and all', () => {
    const r = render('<x-newsgraph-hidden>a</x-newsgraph-hidden>b');
    expect(r.html).toBe('<p>b</p>');
    expect(r.text).toBe('b');
  });

  test('unbalanced markup is closed', () => {
    expect(render('<div><p>unclosed <b>bold <i>it').html).toBe('<div><p>unclosed <b>bold <i>it</i></b></p></div>');
  });

  test('comments never reach the output; a nested one leaves its tail as text', () => {
    const r = render('<!-- <!-- nested --> -->tail');
    expect(r.html).toBe('--&gt;tail');
    expect(r.text).toBe('-->tail');
  });

  test('external links get rel="nofollow noopener"; relative and fragment links do not; target is dropped', () => {
    const { html } = render(
      '<a href="http://x.example" target="_blank">a</a> <a href="//y.example">b</a> <a href="/c">c</a> <a href="#d">d</a> <a href="e.html">e</a>',
    );
    expect(html).toBe(
      '<p><a href="http://x.example" rel="nofollow noopener">a</a> <a href="//y.example" rel="nofollow noopener">b</a> <a href="/c">c</a> <a href="#d">d</a> <a href="e.html">e</a></p>',
    );
  });

  test('a rel in the post is replaced, not trusted', () => {
    expect(render('<a href="/x" rel="opener">x</a>').html).toBe('<p><a href="/x">x</a></p>');
  });

  test('image size attributes must be numbers', () => {
    expect(render('<img src="http://a/b.png" width="10px" height="20" alt="">').html).toBe(
      '<img src="http://a/b.png" height="20" alt="" />',
    );
  });

  test('code fences keep a language class only', () => {
    expect(render('```ts\nlet a = 1 < 2;\n```').html).toBe(
      '<pre><code class="language-ts">let a = 1 &lt; 2;\n</code></pre>',
    );
  });

  test('tables keep structure and spans', () => {
    const { html } = render(
      '<table border=1><tr><td colspan="2" style="text-align:right" bgcolor=red>a</td><td rowspan="x">b</td></tr></table>',
    );
    expect(html).toBe('<table><tr><td colspan="2" align="right">a</td><td>b</td></tr></table>');
  });
});

// Plain text from HTML that is nested too deeply for a tree parser.
//
// htmlparser2's Parser keeps its open-element stack with Array#unshift, so a body of 100k+ unclosed
// `<div>`s costs minutes. For such a body we use its Tokenizer alone (linear), which still reads tags,
// entities, comments and raw-text elements exactly like the parser, and we keep no element stack:
// only block boundaries, and the extent of hidden / non-text elements by counting their own name.
import { Tokenizer } from 'htmlparser2';
import { isHidden, isNoTextTag } from './hidden';
import { TextCollector } from './text-collector';

const VOID_TAGS = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/** Feeds `html` to `collector` (which must not be shared), without building a tree. */
export function collectFlatText(html: string, collector: TextCollector): void {
  let tagName = '';
  let attribs: Record<string, string> = {};
  let attrName = '';
  let attrValue = '';
  let skipName: string | null = null;
  let skipCount = 0;

  const openTag = () => {
    const name = tagName;
    const isVoid = VOID_TAGS.has(name);
    if (skipName !== null) {
      if (name === skipName && !isVoid) skipCount++;
      return;
    }
    if (!isVoid && (isNoTextTag(name) || isHidden(attribs))) {
      skipName = name;
      skipCount = 1;
      return;
    }
    collector.open(name, {});
    if (isVoid) collector.close(name);
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: true },
    {
      onopentagname(start, end) {
        tagName = html.slice(start, end).toLowerCase();
        attribs = {};
      },
      onattribname(start, end) {
        attrName = html.slice(start, end).toLowerCase();
        attrValue = '';
      },
      onattribdata(start, end) {
        attrValue += html.slice(start, end);
      },
      onattribentity(codepoint) {
        attrValue += String.fromCodePoint(codepoint);
      },
      onattribend() {
        if (attrName === 'style' || attrName === 'hidden') attribs[attrName] = attrValue;
      },
      onopentagend: openTag,
      onselfclosingtag: openTag,
      onclosetag(start, end) {
        const name = html.slice(start, end).toLowerCase();
        if (skipName !== null) {
          if (name === skipName && --skipCount === 0) skipName = null;
          return;
        }
        collector.close(name);
      },
      ontext(start, end) {
        if (skipName === null) collector.text(html.slice(start, end));
      },
      ontextentity(codepoint) {
        if (skipName === null) collector.text(String.fromCodePoint(codepoint));
      },
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();
}

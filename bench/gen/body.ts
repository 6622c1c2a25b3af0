/**
 * Post body builder: Markdown digest / plain paragraphs and Eastmoney HTML, sized to a byte target.
 */
import type { Rng } from './rng';
import type { Board, Stock, Universe } from './universe';
import { boardCommon, boardKeytip, chartEmbed, emMedia, imageBlock, infokey, stockCommon, stockKeytip } from './markup';
import {
  CLAUSES,
  EVENTS,
  METRICS,
  PROJECT_NAMES,
  SPEECH_VERBS,
  SUBHEADINGS,
  SUBJECTS,
  TIME_PHRASES,
  UNITS,
  UNLISTED_COMPANIES,
} from './words';

export interface BodyInput {
  rng: Rng;
  universe: Universe;
  /** Approximate body size in UTF-8 bytes (the result may overshoot when many links must fit). */
  targetBytes: number;
  stocks: Stock[];
  boards: Board[];
  /** Outlet named in the body (em_media line, digest or trailing parenthesis); null: none. */
  publisher: string | null;
  /** `<http…>` line target, or null for no source line. */
  sourceUrl: string | null;
  /** The `[返回…](…)` line, or null. */
  navLine: string | null;
}

const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');

function pct(rng: Rng): string {
  return (rng.int(1, 1999) / 100).toFixed(2);
}

function amount(rng: Rng): string {
  return rng.chance(0.5) ? String(rng.int(1, 9999)) : `${rng.int(1, 999)}.${rng.int(1, 99)}`;
}

/** One sentence with no links. May contain numbers, including bare six-digit ones (not stocks). */
export function fillerSentence(rng: Rng): string {
  switch (rng.int(0, 8)) {
    case 0:
      return `${rng.pick(TIME_PHRASES)}，${rng.pick(SUBJECTS)}${rng.pick(SPEECH_VERBS)}，${rng.pick(CLAUSES)}。`;
    case 1:
      return `${rng.pick(SUBJECTS)}${rng.pick(SPEECH_VERBS)}，${rng.pick(CLAUSES)}，${rng.pick(CLAUSES)}。`;
    case 2:
      return `数据显示，${rng.pick(TIME_PHRASES)}${rng.pick(METRICS)}达${amount(rng)}${rng.pick(UNITS)}，同比${rng.chance(0.6) ? '增长' : '下降'}${pct(rng)}%。`;
    case 3:
      return `据了解，${rng.pick(CLAUSES)}。`;
    case 4:
      return `${rng.int(1, 12)}月${rng.int(1, 28)}日，${rng.pick(SUBJECTS)}${rng.pick(SPEECH_VERBS)}，${rng.pick(CLAUSES)}。`;
    case 5:
      return `当日成交额${rng.int(100000, 999999)}万元，换手率${pct(rng)}%，${rng.pick(CLAUSES)}。`;
    case 6:
      return `“${rng.pick(CLAUSES)}，${rng.pick(CLAUSES)}。”${rng.pick(SUBJECTS)}告诉记者。`;
    case 7:
      return `此外，${rng.pick(CLAUSES)}，${rng.pick(CLAUSES)}，${rng.pick(CLAUSES)}。`;
    default:
      return `${rng.pick(SUBJECTS)}${rng.pick(SPEECH_VERBS)}，预计全年${rng.pick(METRICS)}约${amount(rng)}${rng.pick(UNITS)}。`;
  }
}

/** A code-bearing text mention such as `中国联通(600050)`, `（600050.SH）`, `腾讯控股(00700.HK)`. */
export function textMention(rng: Rng, s: Stock): string | null {
  switch (s.exchange) {
    case 'SH':
    case 'SZ':
    case 'BJ': {
      const r = rng.next();
      if (r < 0.6) return `${s.name}(${s.code})`;
      if (r < 0.75) return `${s.name}（${s.code}）`;
      return `${s.name}（${s.code}.${s.exchange}）`;
    }
    case 'HK':
      return rng.chance(0.5) ? `${s.name}(${s.code}.HK)` : `${s.name}（${s.code}.HK）`;
    case 'US':
      return `${s.name}(${s.code}.US)`;
    default:
      return null;
  }
}

/** One place where a stock or board shows up; `key` identifies the instrument. */
type Mention = { kind: 'stock' | 'board'; key: string; html: string };

function stockSentence(rng: Rng, refs: string[]): string {
  if (refs.length > 1) {
    const list = refs.join('、');
    switch (rng.int(0, 2)) {
      case 0:
        return `具体来看，${list}已有相关产品，${rng.pick(CLAUSES)}。`;
      case 1:
        return `据悉，目前${list}${rng.pick(CLAUSES)}。`;
      default:
        return `${rng.pick(TIME_PHRASES)}，${list}等个股${rng.chance(0.6) ? '涨幅居前' : '跌幅居前'}。`;
    }
  }
  const r = refs[0];
  switch (rng.int(0, 6)) {
    case 0:
      return `${rng.pick(TIME_PHRASES)}，${r}发布公告称，${rng.pick(CLAUSES)}。`;
    case 1:
      return `${r}在投资者互动平台表示，${rng.pick(CLAUSES)}。`;
    case 2:
      return `作为国内行业龙头企业，${r}${rng.pick(CLAUSES)}。`;
    case 3:
      return `截至收盘，${r}${rng.chance(0.6) ? '涨' : '跌'}${pct(rng)}%，报${amount(rng)}元。`;
    case 4:
      return `${r}${rng.pick(EVENTS)}，${rng.pick(SUBJECTS)}${rng.pick(SPEECH_VERBS)}，${rng.pick(CLAUSES)}。`;
    case 5:
      return `此前，${r}控股子公司${rng.pick(CLAUSES)}。`;
    default:
      return `${rng.pick(SUBJECTS)}${rng.pick(SPEECH_VERBS)}，${r}${rng.pick(CLAUSES)}。`;
  }
}

function boardSentence(rng: Rng, ref: string): string {
  switch (rng.int(0, 3)) {
    case 0:
      return `${rng.pick(TIME_PHRASES)}，${ref}板块${rng.chance(0.6) ? '涨' : '跌'}${pct(rng)}%，${rng.pick(CLAUSES)}。`;
    case 1:
      return `受益于${ref}行业景气度提升，${rng.pick(CLAUSES)}。`;
    case 2:
      return `国内首款相关产品的${ref}项目落地，${rng.pick(CLAUSES)}。`;
    default:
      return `公司具备${ref}相关的自主技术储备，${rng.pick(CLAUSES)}。`;
  }
}

function companySentence(rng: Rng, fullName: string): string {
  return `当日的签约仪式上，${fullName}与${rng.pick(UNLISTED_COMPANIES)}签署《“${rng.pick(PROJECT_NAMES)}”建设战略合作框架协议》。`;
}

/** Mention events for linked stocks and boards, in order of first appearance. */
function linkMentions(rng: Rng, stocks: Stock[], boards: Board[]): Mention[] {
  const out: Mention[] = [];
  const later: Mention[] = [];
  for (const s of stocks) {
    const key = `${s.market}.${s.code}`;
    out.push({ kind: 'stock', key, html: stockKeytip(s) });
    const extra = rng.chance(0.5) ? 0 : rng.int(1, 3);
    for (let i = 0; i < extra; i++) {
      later.push({ kind: 'stock', key, html: rng.chance(0.75) ? stockCommon(s) : stockKeytip(s) });
    }
    if (rng.chance(0.12)) {
      const t = textMention(rng, s);
      if (t) later.push({ kind: 'stock', key, html: t });
    }
    if (s.fullName && s.fullName.endsWith('股份有限公司') && rng.chance(0.1)) {
      later.push({ kind: 'stock', key, html: s.fullName });
    }
  }
  for (const b of boards) {
    out.push({ kind: 'board', key: b.code, html: rng.chance(0.7) ? boardKeytip(b) : boardCommon(b) });
    if (rng.chance(0.4)) later.push({ kind: 'board', key: b.code, html: boardCommon(b) });
  }
  rng.shuffle(out);
  rng.shuffle(later);
  return out.concat(later);
}

function consumeSentence(rng: Rng, queue: Mention[]): string {
  const first = queue.shift() as Mention;
  if (first.kind === 'board') return boardSentence(rng, first.html);
  if (first.html.endsWith('股份有限公司')) return companySentence(rng, first.html);
  const refs = [first.html];
  const keys = new Set([first.key]);
  while (
    refs.length < 3 &&
    queue.length > 0 &&
    queue[0].kind === 'stock' &&
    !keys.has(queue[0].key) &&
    !queue[0].html.endsWith('股份有限公司') &&
    rng.chance(0.35)
  ) {
    const next = queue.shift() as Mention;
    keys.add(next.key);
    refs.push(next.html);
  }
  return stockSentence(rng, refs);
}

function emMediaInner(rng: Rng, publisher: string, universe: Universe): string {
  // Real posts sometimes carry a board link inside the outlet name: 上海<span…>证券</span>报.
  if (publisher.includes('证券') && rng.chance(0.25)) {
    const board = universe.boards.find((b) => b.code === 'BK0473');
    if (board) return publisher.replace('证券', boardKeytip(board));
  }
  return publisher;
}

/** The text of a `> digest…（X）` line or a plain short post. */
function plainText(rng: Rng, budget: number, stocks: Stock[]): string {
  let text = '';
  const mentions = stocks.map((s) => textMention(rng, s) ?? s.name);
  while (mentions.length > 0 || byteLen(text) < budget) {
    text += mentions.length > 0 ? stockSentence(rng, [mentions.shift() as string]) : fillerSentence(rng);
    if (text.length > 2000) break;
  }
  return text;
}

export function buildBody(input: BodyInput): string {
  const { rng, universe, targetBytes, stocks, boards, publisher } = input;
  const tail: string[] = [];
  if (input.sourceUrl) tail.push('', `<${input.sourceUrl}>`);
  if (input.navLine) tail.push('', input.navLine);
  const tailBytes = byteLen(tail.join('\n'));
  const lead = rng.chance(0.4) ? '\n' : '';

  const noLinks = stocks.length === 0 && boards.length === 0;
  if ((noLinks && targetBytes < 900 && rng.chance(0.85)) || (targetBytes < 600 && rng.chance(0.8))) {
    // Short Markdown-only post, like most of the real archive: one paragraph, maybe `（财联社）`.
    const textStocks = stocks.filter((s) => s.exchange !== 'INDEX');
    let text = plainText(rng, Math.max(40, targetBytes - tailBytes - 20), textStocks);
    if (publisher && rng.chance(0.5)) text += `（${publisher}）`;
    return [lead + text, ...tail].join('\n');
  }

  const parts: string[] = [];
  let used = tailBytes + lead.length;
  if (rng.chance(0.35) || (publisher !== null && rng.chance(0.15))) {
    const digestBudget = Math.min(300, Math.max(60, (targetBytes - used) / 4));
    let digest = `> ${plainText(rng, digestBudget, [])}`;
    if (publisher && rng.chance(0.9)) digest += `（${publisher}）`;
    parts.push(digest, '');
    used += byteLen(digest) + 2;
  }

  // The HTML is one long line, like the real posts.
  let html = '';
  const embeds = stocks.length === 0 ? 0 : Math.min(stocks.length, rng.chance(0.5) ? 0 : rng.int(1, 2));
  for (let i = 0; i < embeds; i++) html += chartEmbed(stocks[i]);
  const queue = linkMentions(rng, stocks, boards);
  const sep = rng.chance(0.3) ? ' ' : '';
  const media = publisher && rng.chance(0.7) ? emMedia(emMediaInner(rng, publisher, universe)) : '';
  const budget = targetBytes - used - byteLen(media);
  let htmlBytes = byteLen(html);
  let paragraphs = 0;
  while (queue.length > 0 || htmlBytes < budget || paragraphs === 0) {
    let p = '';
    if (paragraphs > 0 && budget > 4000 && rng.chance(0.12)) {
      p += `<p><strong>${rng.pick(SUBHEADINGS)}</strong></p>${sep}`;
    }
    if (paragraphs > 0 && budget > 2500 && rng.chance(0.1)) {
      p += imageBlock(`D2${rng.digits(19)}`, rng.int(180, 600), rng.chance(0.5) ? `${rng.pick(SUBJECTS)}官网` : null);
    }
    const sentences = rng.int(1, 4);
    let body = '';
    for (let i = 0; i < sentences; i++) {
      if (queue.length > 0 && rng.chance(0.7)) body += consumeSentence(rng, queue);
      else {
        let s = fillerSentence(rng);
        if (rng.chance(0.03)) s = s.replace('，', `，${infokey(rng.int(1000, 9999), '业绩')}`);
        body += s;
      }
    }
    if (paragraphs === 0 && rng.chance(0.3)) body += '<br />';
    p += `<p>${body}</p>`;
    html += (paragraphs > 0 ? sep : '') + p;
    htmlBytes += byteLen(p) + sep.length;
    paragraphs++;
  }
  html += media;
  parts.push(html);
  return lead + [...parts, ...tail].join('\n');
}

// extract(): stocks, boards, organizations and the publisher of one post. Pure: no I/O, never throws
// on odd markup (htmlparser2 is forgiving; every pattern is bounded).
import type { BoardMention, Extraction, OrganizationMention, StockMention, StockRef, ViaCounts } from '../types';
import { scanBody } from './links';
import { findCompanies } from './organizations';
import { findPublisher } from './publisher';
import { findTextMentions, LinkedSpan } from './text-mentions';

export { parseSymbolQuery } from './symbol';
export type { SymbolQuery } from './symbol';
export { findPublisher } from './publisher';

export interface ExtractInput {
  /** Raw post body after the front matter (Markdown mixed with raw HTML). */
  body: string;
  tags: string[];
}

const zero = (): ViaCounts => ({ embed: 0, link: 0, text: 0 });

function bump(counts: ViaCounts, via: 'EMBED' | 'LINK' | 'TEXT'): void {
  if (via === 'EMBED') counts.embed++;
  else if (via === 'LINK') counts.link++;
  else counts.text++;
}

function addCounts(into: ViaCounts, from: ViaCounts): void {
  into.embed += from.embed;
  into.link += from.link;
  into.text += from.text;
}

/** Keeps first-seen position so merged results come out in document order. */
interface Ordered<T> {
  at: number;
  value: T;
}

function inOrder<T>(map: Map<string, Ordered<T>>): T[] {
  return [...map.values()].sort((a, b) => a.at - b.at).map((o) => o.value);
}

export function extract(input: ExtractInput): Extraction {
  const body = typeof input.body === 'string' ? input.body : '';
  const tags = Array.isArray(input.tags) ? input.tags : [];
  const { text, hits } = scanBody(body);

  const stocks = new Map<string, Ordered<StockMention>>();
  const boards = new Map<string, Ordered<BoardMention>>();

  const stockAt = (ref: StockRef, at: number): StockMention => {
    let s = stocks.get(ref.symbol);
    if (!s) {
      s = { at, value: { ...ref, name: null, counts: zero() } };
      stocks.set(ref.symbol, s);
    }
    s.at = Math.min(s.at, at);
    return s.value;
  };

  const linked: LinkedSpan[] = [];
  for (const hit of hits) {
    if (hit.target.kind === 'board') {
      const { code, secid } = hit.target;
      let b = boards.get(code);
      if (!b) {
        b = { at: hit.start, value: { code, secid, name: null, counts: zero() } };
        boards.set(code, b);
      }
      bump(b.value.counts, hit.via);
      b.value.name ??= hit.name;
      if (hit.via === 'LINK') linked.push({ start: hit.start, end: hit.end, key: secid });
    } else {
      const s = stockAt(hit.target.ref, hit.start);
      bump(s.counts, hit.via);
      s.name ??= hit.name;
      if (hit.via === 'LINK') linked.push({ start: hit.start, end: hit.end, key: hit.target.ref.symbol });
    }
  }

  for (const t of findTextMentions(text, linked)) {
    const s = stockAt(t.ref, t.start);
    bump(s.counts, 'TEXT');
    s.name ??= t.name;
  }

  const stockList = inOrder(stocks);
  const orgs = new Map<string, Ordered<OrganizationMention>>();
  const orgAt = (name: string, at: number): OrganizationMention => {
    let o = orgs.get(name);
    if (!o) {
      o = { at, value: { name, issues: [], counts: zero() } };
      orgs.set(name, o);
    }
    o.at = Math.min(o.at, at);
    return o.value;
  };
  // Issuers: a stock's display name names the company behind it (one company may issue A and H shares).
  for (const [symbol, s] of stocks) {
    if (s.value.name === null) continue;
    const o = orgAt(s.value.name, s.at);
    if (!o.issues.includes(symbol)) o.issues.push(symbol);
    addCounts(o.counts, s.value.counts);
  }
  for (const c of findCompanies(text)) bump(orgAt(c.name, c.start).counts, 'TEXT');

  return {
    stocks: stockList,
    boards: inOrder(boards),
    organizations: inOrder(orgs),
    publisher: findPublisher(body, text, tags),
  };
}

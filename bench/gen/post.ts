/**
 * One synthetic post: date, id, title, front matter, body, and where it goes.
 * Every post draws from its own RNG stream (seed, index), so post i is the same whatever else happened.
 */
import { Rng, mix32 } from './rng';
import type { Board, Category, Stock, Universe } from './universe';
import { buildBody } from './body';
import { EVENTS, TITLE_CLAUSES, TITLE_TAILS, TITLE_TOPICS, CLAUSES } from './words';

/** 2021-06-01 00:00:00 +0800 .. 2024-06-01 00:00:00 +0800 (exclusive), in Unix seconds. */
export const START_SECONDS = Date.UTC(2021, 5, 1, 0, 0, 0) / 1000 - 8 * 3600;
export const END_SECONDS = Date.UTC(2024, 5, 1, 0, 0, 0) / 1000 - 8 * 3600;
export const MIN_BODY_BYTES = 200;
export const MAX_BODY_BYTES = 20000;
/** Upper bound on --posts: ids keep 10 digits after the date (2000000000 + index * step). */
export const MAX_POSTS = 10_000_000;

export interface GeneratedPost {
  /** `2022/05` — the folder under `_posts/`. */
  folder: string;
  /** `2022-05-26-202205262391921712.md` */
  fileName: string;
  content: string;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

function wallClock(unixSeconds: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const d = new Date((unixSeconds + 8 * 3600) * 1000);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

const STOCK_COUNT_WEIGHTS = [0.22, 0.25, 0.2, 0.14, 0.09, 0.06, 0.04];

function weightedIndex(rng: Rng, weights: readonly number[]): number {
  let r = rng.next();
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r < 0) return i;
  }
  return weights.length - 1;
}

function pickStocks(rng: Rng, u: Universe, count: number): Stock[] {
  const chosen = new Set<number>();
  for (let tries = 0; chosen.size < count && tries < count * 20; tries++) chosen.add(u.stockSampler.sample(rng));
  return [...chosen].map((i) => u.stocks[i]);
}

function pickBoards(rng: Rng, u: Universe, count: number): Board[] {
  const chosen = new Set<number>();
  for (let tries = 0; chosen.size < count && tries < count * 20; tries++) chosen.add(u.boardSampler.sample(rng));
  return [...chosen].map((i) => u.boards[i]);
}

function title(rng: Rng, stocks: Stock[], month: number, day: number): string {
  const named = stocks.filter((s) => s.exchange !== 'INDEX');
  const r = rng.next();
  if (named.length > 0 && r < 0.35) return `${named[0].name}：${rng.pick(CLAUSES)}`;
  if (named.length > 1 && r < 0.45) return `${named[0].name}、${named[1].name}${rng.pick(EVENTS)}`;
  if (named.length > 0 && r < 0.55) return `国内首次！${named[0].name}${rng.pick(EVENTS)} ${rng.pick(TITLE_TAILS)}`;
  if (r < 0.7) return `${month}月${day}日${rng.pick(TITLE_TOPICS)}${rng.pick(TITLE_CLAUSES)}`;
  if (r < 0.85) return `${rng.pick(TITLE_TOPICS)}${rng.pick(TITLE_CLAUSES)} ${rng.pick(TITLE_TAILS)}`;
  return `${rng.pick(TITLE_TOPICS)}${rng.pick(TITLE_CLAUSES)}`;
}

function navLine(rng: Rng, c: Category): string | null {
  const r = rng.next();
  if (c.slug === 'emnews') {
    if (r < 0.7) return '[返回东财滚动新闻](//finews.withounder.com/emnews/)｜[返回首页](//finews.withounder.com/)';
    if (r < 0.82) return '[返回东财滚动新闻](//finews.zning.me/emnews/)';
    if (r < 0.92) return '[返回首页](//finews.withounder.com/)';
    return null;
  }
  if (r < 0.85)
    return `[返回${c.tag}](//finews.withounder.com/category/${c.slug}.html)｜[返回首页](//finews.withounder.com/)`;
  if (r < 0.95) return '[返回首页](//finews.withounder.com/)';
  return null;
}

const NEWS_COLUMNS = ['1354', '1354', '1354', '1351', '1345', '1350', '1355', '2031'];

/**
 * Build post `index` of `total`. Dates are spread evenly over the three years in index order, so ids
 * (date + 10 digits growing with index) are unique and increase with time, like Eastmoney's.
 */
export function buildPost(u: Universe, seed: number, index: number, total: number): GeneratedPost {
  const rng = new Rng(mix32(Math.imul(seed >>> 0, 0x9e3779b1) ^ mix32(index + 0x51ed)));
  const span = END_SECONDS - START_SECONDS;
  const t = START_SECONDS + Math.floor(((index + rng.next()) * span) / total);
  const w = wallClock(t);
  const ymd = `${w.y}-${pad2(w.mo)}-${pad2(w.d)}`;
  const hms = `${pad2(w.h)}:${pad2(w.mi)}:${pad2(w.s)}`;

  const step = Math.max(1, Math.floor(7_999_999_999 / total));
  const serial = 2_000_000_000 + index * step + Math.floor(rng.next() * step);
  const category = u.categories[u.categorySampler.sample(rng)];
  const digits = `${w.y}${pad2(w.mo)}${pad2(w.d)}${serial}`;
  const nw = category.slug !== 'emnews' && rng.chance(0.4);
  const id = nw ? `NW${digits}` : digits;

  const targetBytes = Math.floor(
    Math.exp(Math.log(MIN_BODY_BYTES) + rng.next() * Math.log(MAX_BODY_BYTES / MIN_BODY_BYTES)),
  );
  const maxStocks = Math.max(0, Math.floor((targetBytes - 150) / 250));
  const stocks = pickStocks(rng, u, Math.min(maxStocks, weightedIndex(rng, STOCK_COUNT_WEIGHTS)));
  const maxBoards = Math.max(0, Math.floor((targetBytes - 300) / 500));
  const boards = pickBoards(rng, u, Math.min(maxBoards, weightedIndex(rng, [0.6, 0.3, 0.1])));

  let publisher: string | null;
  if (rng.chance(0.1)) publisher = null;
  else if (category.publisher && rng.chance(0.92)) publisher = category.publisher;
  else publisher = u.publishers[u.publisherSampler.sample(rng)];

  let sourceUrl: string | null = null;
  if (rng.chance(0.97)) {
    sourceUrl = nw
      ? `http://finews.zning.xyz/html_News/NewsShare.html?infoCode=${id}`
      : `http://finance.eastmoney.com/news/${rng.pick(NEWS_COLUMNS)},${digits}.html`;
  }

  const headline = title(rng, stocks, w.mo, w.d);
  // Jekyll reads these three differently: +0800 kept; unquoted = YAML timestamp = UTC; quoted = site zone.
  const r = rng.next();
  const dateLine = r < 0.88 ? `${ymd} ${hms} +0800` : r < 0.98 ? `${ymd} ${hms}` : `"${ymd} ${hms}"`;

  const body = buildBody({
    rng,
    universe: u,
    targetBytes,
    stocks,
    boards,
    publisher,
    sourceUrl,
    navLine: navLine(rng, category),
  });
  const content =
    '---\nlayout: post\n' +
    `title: "${headline}"\n` +
    `date: ${dateLine}\n` +
    `categories: ${category.slug}\n` +
    `tags: ${category.tag}\n` +
    `---\n${body}${rng.chance(0.15) ? '\n' : ''}`;
  return { folder: `${w.y}/${pad2(w.mo)}`, fileName: `${ymd}-${id}.md`, content };
}

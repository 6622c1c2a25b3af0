/**
 * The generator's universe: stocks, boards, publishers and categories, all derived from the seed.
 * Its size is fixed (a few thousand entries), independent of how many posts are generated.
 */
import { Rng, WeightedSampler, mix32, zipfWeights } from './rng';
import {
  A_SUFFIXES,
  BOARD_TERMS,
  CATEGORY_DEFS,
  HK_SUFFIXES,
  NAME_MORPHEMES,
  PLACES,
  PUBLISHER_SUFFIXES,
  REAL_PUBLISHERS,
  US_SUFFIXES,
} from './words';

export type Exchange = 'SH' | 'SZ' | 'BJ' | 'HK' | 'US' | 'INDEX';

export interface Stock {
  /** Eastmoney code: `600050`, `00762`, `NIO`. */
  code: string;
  /** Eastmoney market id: 1 SH, 0 SZ/BJ, 116 HK, 105/106/107 US, 100 global indices. */
  market: number;
  exchange: Exchange;
  /** Display name as it appears in link anchor text. */
  name: string;
  /** Issuer's legal name (used for `…股份有限公司` text mentions); null for indices. */
  fullName: string | null;
  /** Chart-embed type digits: data-code `code|market|chartType`, data-code2 `code|market|chartType2|`. */
  chartType: number;
  chartType2: number;
}

export interface Board {
  /** `BK0493` (always market 90). */
  code: string;
  name: string;
}

export interface Category {
  slug: string;
  /** The `tags:` value of its posts: `东财滚动新闻` for emnews, else `<outlet>新闻`. */
  tag: string;
  /** Outlet behind the category ('' for emnews, whose publishers vary per post). */
  publisher: string;
  /** Title of its category page, when the archive has one (may disagree with the tag, like the real site). */
  pageTitle: string | null;
}

export interface Universe {
  /** Ordered by popularity: stocks[0] is the most-covered one (Zipf rank 1). */
  stocks: Stock[];
  boards: Board[];
  publishers: string[];
  categories: Category[];
  stockSampler: WeightedSampler;
  boardSampler: WeightedSampler;
  publisherSampler: WeightedSampler;
  categorySampler: WeightedSampler;
}

export interface UniverseSizes {
  stocks: { sh: number; sz000: number; sz002: number; sz300: number; bj: number; hk: number; us: number };
  boards: number;
  publishers: number;
}

export const DEFAULT_SIZES: UniverseSizes = {
  stocks: { sh: 1700, sz000: 450, sz002: 750, sz300: 800, bj: 240, hk: 600, us: 420 },
  boards: 300,
  publishers: 500,
};

/** Real instruments, placed at the top popularity ranks (in this order) so demos have familiar names. */
const REAL_STOCKS: readonly Omit<Stock, 'chartType' | 'chartType2'>[] = [
  { code: '600519', market: 1, exchange: 'SH', name: '贵州茅台', fullName: '贵州茅台酒股份有限公司' },
  { code: '300750', market: 0, exchange: 'SZ', name: '宁德时代', fullName: '宁德时代新能源科技股份有限公司' },
  { code: '600050', market: 1, exchange: 'SH', name: '中国联通', fullName: '中国联合网络通信股份有限公司' },
  { code: '00700', market: 116, exchange: 'HK', name: '腾讯控股', fullName: '腾讯控股有限公司' },
  { code: 'NIO', market: 106, exchange: 'US', name: '蔚来', fullName: '蔚来集团' },
  { code: '002594', market: 0, exchange: 'SZ', name: '比亚迪', fullName: '比亚迪股份有限公司' },
  { code: '000001', market: 0, exchange: 'SZ', name: '平安银行', fullName: '平安银行股份有限公司' },
  { code: '601318', market: 1, exchange: 'SH', name: '中国平安', fullName: '中国平安保险(集团)股份有限公司' },
  { code: '600036', market: 1, exchange: 'SH', name: '招商银行', fullName: '招商银行股份有限公司' },
  { code: '000858', market: 0, exchange: 'SZ', name: '五粮液', fullName: '宜宾五粮液股份有限公司' },
  { code: '09988', market: 116, exchange: 'HK', name: '阿里巴巴-SW', fullName: '阿里巴巴集团控股有限公司' },
  { code: 'BABA', market: 106, exchange: 'US', name: '阿里巴巴', fullName: '阿里巴巴集团控股有限公司' },
  { code: '600160', market: 1, exchange: 'SH', name: '巨化股份', fullName: '浙江巨化股份有限公司' },
  { code: '300343', market: 0, exchange: 'SZ', name: '联创股份', fullName: '山东联创产业发展集团股份有限公司' },
  { code: '600636', market: 1, exchange: 'SH', name: '国新文化', fullName: '国新文化控股股份有限公司' },
  { code: '00762', market: 116, exchange: 'HK', name: '中国联通', fullName: '中国联合网络通信(香港)股份有限公司' },
  { code: '03690', market: 116, exchange: 'HK', name: '美团-W', fullName: '美团' },
  { code: 'JD', market: 105, exchange: 'US', name: '京东', fullName: '京东集团股份有限公司' },
  { code: 'PDD', market: 105, exchange: 'US', name: '拼多多', fullName: '拼多多控股公司' },
  { code: 'LI', market: 105, exchange: 'US', name: '理想汽车', fullName: '理想汽车' },
  { code: 'TSLA', market: 105, exchange: 'US', name: '特斯拉', fullName: '特斯拉公司' },
  { code: 'AAPL', market: 105, exchange: 'US', name: '苹果', fullName: '苹果公司' },
  { code: '002953', market: 0, exchange: 'SZ', name: '日丰股份', fullName: '广东日丰电缆股份有限公司' },
  { code: '830799', market: 0, exchange: 'BJ', name: '艾融软件', fullName: '上海艾融软件股份有限公司' },
  // Indices: 1.000001 shares its code with SZ 平安银行 (the contract's ambiguity example); market 100 is
  // not in the contract's list of known markets (links must survive anyway).
  { code: '000001', market: 1, exchange: 'INDEX', name: '上证指数', fullName: null },
  { code: '399001', market: 0, exchange: 'INDEX', name: '深证成指', fullName: null },
  { code: '399006', market: 0, exchange: 'INDEX', name: '创业板指', fullName: null },
  { code: 'HSI', market: 100, exchange: 'INDEX', name: '恒生指数', fullName: null },
  { code: 'DJIA', market: 100, exchange: 'INDEX', name: '道琼斯', fullName: null },
  { code: 'NDX', market: 100, exchange: 'INDEX', name: '纳斯达克', fullName: null },
];

/** Boards whose codes are fixed because real posts use them. */
const REAL_BOARDS: readonly Board[] = [
  { code: 'BK0493', name: '新能源' },
  { code: 'BK0839', name: '知识产权' },
  { code: 'BK0473', name: '证券' },
  { code: 'BK0475', name: '银行' },
  { code: 'BK0474', name: '保险' },
  { code: 'BK0477', name: '酿酒行业' },
];

/** Chart-embed type digits as seen in real posts (SH 1/2, HK 5/3, US 7/3); SZ/BJ/indices guessed. */
function chartTypes(market: number): [number, number] {
  switch (market) {
    case 1:
      return [1, 2];
    case 0:
      return [2, 2];
    case 116:
      return [5, 3];
    case 105:
    case 106:
    case 107:
      return [7, 3];
    default:
      return [7, 3];
  }
}

function withChart(s: Omit<Stock, 'chartType' | 'chartType2'>): Stock {
  const [chartType, chartType2] = chartTypes(s.market);
  return { ...s, chartType, chartType2 };
}

export function buildUniverse(seed: number, sizes: UniverseSizes = DEFAULT_SIZES): Universe {
  const rng = new Rng(mix32(seed ^ 0x5eed0001));

  // ---- stocks -------------------------------------------------------------------------------
  const usedSecids = new Set<string>(REAL_STOCKS.map((s) => `${s.market}.${s.code}`));
  const usedNames = new Set<string>(REAL_STOCKS.map((s) => s.name));
  const generated: Stock[] = [];

  const stem = (): string => {
    for (;;) {
      const a = rng.pick(NAME_MORPHEMES);
      const b = rng.pick(NAME_MORPHEMES);
      if (a !== b) return a + b;
    }
  };
  const uniqueName = (make: () => string): string => {
    for (;;) {
      const n = make();
      if (!usedNames.has(n)) {
        usedNames.add(n);
        return n;
      }
    }
  };
  const addNumeric = (
    count: number,
    market: number,
    exchange: Exchange,
    prefixes: readonly string[],
    width: number,
    nameFor: (s: string) => [string, string | null],
  ): void => {
    for (let i = 0; i < count; i++) {
      let code: string;
      do {
        const p = rng.pick(prefixes);
        code = p + rng.digits(width - p.length);
      } while (usedSecids.has(`${market}.${code}`) || /^0+$/.test(code));
      usedSecids.add(`${market}.${code}`);
      for (;;) {
        const [name, fullName] = nameFor(stem());
        if (usedNames.has(name)) continue;
        usedNames.add(name);
        generated.push(withChart({ code, market, exchange, name, fullName }));
        break;
      }
    }
  };
  const aShareName = (st: string): [string, string] => {
    const [suffix, industry] = rng.pick(A_SUFFIXES);
    const prefix = rng.chance(0.015) ? 'ST' : '';
    return [prefix + st + suffix, `${rng.pick(PLACES)}${st}${industry}股份有限公司`];
  };
  const { stocks: n } = sizes;
  addNumeric(n.sh, 1, 'SH', ['600', '601', '603', '605', '688'], 6, aShareName);
  addNumeric(n.sz000, 0, 'SZ', ['000', '001'], 6, aShareName);
  addNumeric(n.sz002, 0, 'SZ', ['002', '003'], 6, aShareName);
  addNumeric(n.sz300, 0, 'SZ', ['300', '301'], 6, aShareName);
  addNumeric(n.bj, 0, 'BJ', ['83', '87', '43', '920'], 6, aShareName);
  addNumeric(n.hk, 116, 'HK', ['00', '01', '02', '03', '06', '09'], 5, (st) => {
    const suffix = rng.pick(HK_SUFFIXES);
    const base = suffix.startsWith('-') ? st + rng.pick(['科技', '集团', '健康', '汽车']) : st;
    return [base + suffix, `${st}${suffix.startsWith('-') ? '控股' : suffix}有限公司`];
  });
  const usedTickers = new Set<string>(REAL_STOCKS.filter((s) => s.exchange === 'US').map((s) => s.code));
  for (let i = 0; i < n.us; i++) {
    let ticker: string;
    do {
      const len = rng.int(2, 4);
      ticker = '';
      for (let k = 0; k < len; k++) ticker += String.fromCharCode(65 + rng.int(0, 25));
    } while (usedTickers.has(ticker));
    usedTickers.add(ticker);
    const r = rng.next();
    const market = r < 0.6 ? 105 : r < 0.95 ? 106 : 107;
    const name = uniqueName(() => stem() + rng.pick(US_SUFFIXES));
    generated.push(withChart({ code: ticker, market, exchange: 'US', name, fullName: `${name}公司` }));
  }
  rng.shuffle(generated);
  const stocks = [...REAL_STOCKS.map(withChart), ...generated];

  // ---- boards -------------------------------------------------------------------------------
  const boardNames: string[] = [];
  const seenBoardNames = new Set(REAL_BOARDS.map((b) => b.name));
  for (const t of BOARD_TERMS)
    if (!seenBoardNames.has(t)) {
      seenBoardNames.add(t);
      boardNames.push(t);
    }
  for (const t of BOARD_TERMS) {
    const v = t.endsWith('概念') ? null : t.endsWith('行业') ? t.slice(0, -2) + '指数' : t + '概念';
    if (v && !seenBoardNames.has(v)) {
      seenBoardNames.add(v);
      boardNames.push(v);
    }
  }
  rng.shuffle(boardNames);
  const boards: Board[] = [...REAL_BOARDS];
  const usedBoardCodes = new Set(REAL_BOARDS.map((b) => b.code));
  for (const name of boardNames) {
    if (boards.length >= sizes.boards) break;
    let code: string;
    do code = `BK0${rng.int(400, 999)}`;
    while (usedBoardCodes.has(code));
    usedBoardCodes.add(code);
    boards.push({ code, name });
  }

  // ---- publishers ---------------------------------------------------------------------------
  const publishers: string[] = [];
  const seenPub = new Set<string>();
  const addPub = (p: string): void => {
    if (!seenPub.has(p)) {
      seenPub.add(p);
      publishers.push(p);
    }
  };
  for (const p of REAL_PUBLISHERS) addPub(p);
  for (const c of CATEGORY_DEFS) if (c.publisher) addPub(c.publisher);
  const local: string[] = [];
  for (const place of PLACES) for (const suf of PUBLISHER_SUFFIXES) local.push(place + suf);
  rng.shuffle(local);
  for (const p of local) {
    if (publishers.length >= sizes.publishers) break;
    addPub(p);
  }

  // ---- categories ---------------------------------------------------------------------------
  const categories: Category[] = CATEGORY_DEFS.map((c) => ({
    slug: c.slug,
    tag: c.slug === 'emnews' ? '东财滚动新闻' : `${c.publisher}新闻`,
    publisher: c.publisher,
    pageTitle: c.page ?? null,
  }));
  // emnews carries about half the archive (like the real site, where it is nearly all of it);
  // the others share the rest with Zipf weights.
  const catWeights = new Float64Array(categories.length);
  const rest = zipfWeights(categories.length - 1, 1.0);
  const restSum = rest.reduce((a, b) => a + b, 0);
  catWeights[0] = 0.5;
  for (let i = 1; i < categories.length; i++) catWeights[i] = (0.5 * rest[i - 1]) / restSum;

  return {
    stocks,
    boards,
    publishers,
    categories,
    stockSampler: new WeightedSampler(zipfWeights(stocks.length, 1.0)),
    boardSampler: new WeightedSampler(zipfWeights(boards.length, 0.9)),
    publisherSampler: new WeightedSampler(zipfWeights(publishers.length, 1.0)),
    categorySampler: new WeightedSampler(catWeights),
  };
}

/** `1.600050` */
export function secid(s: Stock): string {
  return `${s.market}.${s.code}`;
}

import { registerEnumType } from 'type-graphql';

export enum PostOrder {
  DATE_DESC = 'DATE_DESC',
  DATE_ASC = 'DATE_ASC',
}
registerEnumType(PostOrder, {
  name: 'PostOrder',
  description: 'Order of posts in a connection.',
  valuesConfig: { DATE_DESC: { description: 'Newest first (default).' }, DATE_ASC: { description: 'Oldest first.' } },
});

export enum SearchOrder {
  RELEVANCE = 'RELEVANCE',
  DATE_DESC = 'DATE_DESC',
  DATE_ASC = 'DATE_ASC',
}
registerEnumType(SearchOrder, {
  name: 'SearchOrder',
  description: 'Order of search hits.',
  valuesConfig: {
    RELEVANCE: { description: 'Best match first, then newest (default; ranks a bounded set, see `search`).' },
    DATE_DESC: { description: 'Newest first, among every hit.' },
    DATE_ASC: { description: 'Oldest first, among every hit.' },
  },
});

export enum StockOrder {
  COVERAGE_DESC = 'COVERAGE_DESC',
  SYMBOL_ASC = 'SYMBOL_ASC',
}
registerEnumType(StockOrder, {
  name: 'StockOrder',
  description: 'Order of stocks in a connection.',
  valuesConfig: {
    COVERAGE_DESC: { description: 'Most-covered first (default).' },
    SYMBOL_ASC: { description: 'By canonical symbol.' },
  },
});

export enum Via {
  EMBED = 'EMBED',
  LINK = 'LINK',
  TEXT = 'TEXT',
}
registerEnumType(Via, {
  name: 'Via',
  description: 'How a post names a stock, board or organization.',
  valuesConfig: {
    EMBED: { description: 'A quote chart embed (data-code="600050|1|1").' },
    LINK: { description: 'An inline quote link (keytip / em_stock_key_common).' },
    TEXT: { description: 'A mention in the text, such as 中国联通(600050) or a company name.' },
  },
});

export enum Interval {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(Interval, {
  name: 'Interval',
  description: 'Bucket size of a timeline (UTC; weeks start on Monday).',
  valuesConfig: {
    DAY: { description: 'Calendar days.' },
    WEEK: { description: 'ISO weeks.' },
    MONTH: { description: 'Calendar months.' },
  },
});

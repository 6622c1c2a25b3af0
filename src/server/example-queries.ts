// GraphiQL's opening tabs: the traversals frontends build on. The first one runs as the default.

export const EXAMPLE_QUERIES: { title: string; query: string; variables?: string }[] = [
  {
    title: 'post -> stocks -> posts -> related coverage',
    query: `# Latest posts, their stocks, other coverage of those stocks, and related posts.
# Press the run button (or Ctrl-Enter).
query FrontPage {
  posts(first: 5) {
    totalCount
    edges {
      node {
        title
        url
        date
        publisher { name }
        categories { slug title }
        stockMentions { count via stock { symbol name exchange } }
        stocks {
          symbol
          posts(first: 3) { edges { node { title date tags { name } } } }
        }
        relatedCoverage(first: 3) { edges { score sharedStocks { symbol } node { title url } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  },
  {
    title: 'stock page',
    query: `query StockPage($symbol: String!) {
  stock(symbol: $symbol) {
    symbol name exchange secid coverageCount
    organization { name }
    posts(first: 20) { totalCount edges { node { title date url } } }
    coMentioned(first: 10) { count stock { symbol name } }
    coverageTimeline(interval: MONTH) { start count }
  }
}
`,
    variables: '{ "symbol": "600050" }',
  },
  {
    title: 'search',
    query: `query Search($q: String!) {
  search(query: $q, first: 10) {
    totalCount
    edges { score snippet node { title url date } }
  }
}
`,
    variables: '{ "q": "联通" }',
  },
  {
    title: 'story clusters',
    query: `# One wire text republished by several outlets is one story: a front page that shows each story
# once, and where else a post's story ran (oldest first).
query Stories($url: String!) {
  posts(first: 10, collapseSameStory: true) {
    totalCount
    edges { node { title date sameStory { title date } } }
  }
  post(url: $url) {
    title
    publisher { name }
    sameStory { title url date publisher { name } }
  }
}
`,
    variables: '{ "url": "/emnews/2021/12/08/202112082206936037.html" }',
  },
  {
    title: 'filters and facets',
    query: `# Posts on either stock, not from one column, with a word in the title; the newest hits of a
# search under the same kind of filter (search ranks by relevance unless ordered by date); counts
# over a search's hits.
query Filtered {
  posts(first: 10, filter: {
    or: [{ stocks: ["600050"] }, { stocks: ["NIO"] }]
    not: { tags: ["站长消息"] }
  }) {
    totalCount
    edges { node { title date tags { name } stocks { symbol } } }
  }
  both: posts(first: 5, filter: { stocksAll: ["600050", "00762.HK"] }) { totalCount edges { node { title } } }
  titled: posts(first: 5, filter: { titleContains: "联通" }) { totalCount edges { node { title } } }
  newest: search(query: "公司", first: 5, orderBy: DATE_DESC, filter: { not: { categories: ["emnews"] } }) {
    totalCount
    edges { node { title date } }
  }
  # Stocks covered this week far more than usual, and the posts behind it.
  trending: trendingStocks(window: WEEK, first: 5) { score count baseline stock { symbol name } posts(first: 2) { title } }
  # The side panel of a search page: counts over the hits.
  facets: postFacets(search: "联通") {
    total
    categories(first: 5) { count category { slug title } }
    stocks(first: 5) { count stock { symbol name } }
    publishers(first: 5) { count publisher { name } }
    dates(interval: MONTH) { start count }
  }
}
`,
  },
  {
    title: 'categories and tags',
    query: `query Taxonomy {
  categories(first: 20) { totalCount edges { node { slug title postCount } } }
  tags(first: 20) { edges { node { name postCount } } }
  category(slug: "xiningwanbao") { title posts(first: 5) { edges { node { title } } } }
}
`,
  },
  {
    title: 'change feed',
    query: `# What imports added, updated and removed, oldest first. Keep pageInfo.endCursor and pass it
# as $after next time to catch up; headCursor follows only what changes from now on.
query Changes($after: String) {
  changes(after: $after, first: 20) {
    edges { node { kind id url at post { title } } }
    pageInfo { hasNextPage endCursor }
    headCursor
  }
}
`,
  },
];

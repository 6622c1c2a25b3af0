// Fragments the pages share: each component declares the fields it renders.
import { graphql } from './gql';

/** A stock as a chip: symbol, name and exchange, linking to the stock page. */
export const StockChip = graphql(`
  fragment StockChip on Stock {
    symbol
    name
    exchange
  }
`);

/** A link to a post: title and date, in lists of related or trending coverage. */
export const PostLink = graphql(`
  fragment PostLink on Post {
    id
    title
    url
    date
  }
`);

/** A post in a list: its link, excerpt, publisher and stocks. */
export const PostCard = graphql(`
  fragment PostCard on Post {
    ...PostLink
    excerpt
    publisher {
      name
    }
    stocks {
      ...StockChip
    }
  }
`);

/** Related coverage as both the front page and a post page list it: score, shared stocks, a link. */
export const RelatedCoverageList = graphql(`
  fragment RelatedCoverageList on RelatedPostConnection {
    edges {
      score
      sharedStocks {
        ...StockChip
      }
      node {
        ...PostLink
      }
    }
  }
`);

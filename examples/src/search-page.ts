// The search page's results: hits with highlighted snippets, narrowed by a filter, in either order.
import { graphql } from './gql';

export const SearchPageQuery = graphql(`
  query SearchPage(
    $query: String!
    $filter: PostFilter
    $orderBy: SearchOrder = RELEVANCE
    $first: Int = 10
    $after: String
  ) {
    search(query: $query, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      totalCountExact
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        score
        snippet
        node {
          ...PostLink
          publisher {
            name
          }
          stocks {
            ...StockChip
          }
        }
      }
    }
  }
`);

// The search page's side panel: counts over the same hits, to narrow the search with.
import { graphql } from './gql';

export const FacetsPanelQuery = graphql(`
  query FacetsPanel($search: String, $filter: PostFilter, $first: Int = 10, $interval: Interval = MONTH) {
    postFacets(search: $search, filter: $filter) {
      total
      categories(first: $first) {
        count
        category {
          slug
          title
        }
      }
      tags(first: $first) {
        count
        tag {
          name
        }
      }
      stocks(first: $first) {
        count
        stock {
          ...StockChip
        }
      }
      boards(first: $first) {
        count
        board {
          code
          name
        }
      }
      publishers(first: $first) {
        count
        publisher {
          id
          name
        }
      }
      dates(interval: $interval) {
        start
        count
      }
    }
  }
`);

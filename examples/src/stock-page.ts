// A stock's page: its posts, the stocks named beside it, and its coverage over time.
import { graphql } from './gql';

export const StockPageQuery = graphql(`
  query StockPage(
    $symbol: String!
    $first: Int = 20
    $after: String
    $coMentioned: Int = 10
    $interval: Interval = MONTH
  ) {
    stock(symbol: $symbol) {
      ...StockChip
      code
      market
      secid
      coverageCount
      organization {
        id
        name
      }
      posts(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...PostCard
          }
        }
      }
      coMentioned(first: $coMentioned) {
        count
        stock {
          ...StockChip
        }
      }
      coverageTimeline(interval: $interval) {
        start
        count
      }
    }
  }
`);

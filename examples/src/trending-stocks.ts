// The trending box: stocks covered far more than usual in the last day or week, and why.
import { graphql } from './gql';

export const TrendingStocksQuery = graphql(`
  query TrendingStocks($window: TrendWindow = DAY, $at: DateTime, $first: Int = 10, $posts: Int = 3) {
    trendingStocks(window: $window, at: $at, first: $first) {
      score
      count
      baseline
      stock {
        ...StockChip
      }
      posts(first: $posts) {
        ...PostLink
      }
    }
  }
`);

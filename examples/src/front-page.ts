// The front page: the newest posts, each story once, with their stocks and related coverage.
import { graphql } from './gql';

export const FrontPageQuery = graphql(`
  query FrontPage($first: Int!, $after: String, $related: Int = 3) {
    posts(first: $first, after: $after, collapseSameStory: true) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...PostCard
          categories {
            slug
            title
          }
          relatedCoverage(first: $related) {
            ...RelatedCoverageList
          }
        }
      }
    }
  }
`);

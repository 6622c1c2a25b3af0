// A post's page, found by permalink (or slug): the body, its table of contents, what it names, and
// related coverage.
import { graphql } from './gql';

export const PostPageQuery = graphql(`
  query PostPage($url: String, $slug: String, $related: Int = 5) {
    post(url: $url, slug: $slug) {
      id
      slug
      url
      title
      date
      excerpt
      sourceUrl
      html
      wordCount
      readingTime
      headings {
        level
        text
        anchor
      }
      categories {
        slug
        name
        title
      }
      tags {
        name
        slug
      }
      publisher {
        id
        name
      }
      stockMentions {
        count
        via
        stock {
          ...StockChip
          coverageCount
        }
      }
      boards {
        code
        name
      }
      organizations {
        id
        name
      }
      relatedCoverage(first: $related) {
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
    }
  }
`);

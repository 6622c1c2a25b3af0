// A post's page, found by permalink (or slug): the body, its table of contents, what it names, and
// related coverage, and where else the same story ran.
import { graphql } from './gql';

export const PostPageQuery = graphql(`
  query PostPage($url: String, $slug: String, $related: Int = 5, $sameStory: Int = 10) {
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
      sameStory(first: $sameStory) {
        ...PostLink
      }
      relatedCoverage(first: $related) {
        ...RelatedCoverageList
      }
    }
  }
`);

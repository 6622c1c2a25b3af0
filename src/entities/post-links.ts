import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model: everything a post links (categories, tags, stocks, boards, organizations) in one
 * row, so a page of posts reads one row per post instead of five link tables joined to their
 * names (src/db/schema/post-links.ts gives the format; docs/contract.md, "Read model"). The link
 * tables stay the source: the import writes this row from them, `reindex` rebuilds it.
 */
@Entity({ name: 'post_links' })
export class PostLinksEntity {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  /** A JSON object: `c` and `t` category and tag ids in front-matter order; `s`, `b`, `o` `[id, count, embed, link, text]` most-mentioned first. */
  @Column({ type: 'text' })
  links: string;
}

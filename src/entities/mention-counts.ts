import { Column } from 'typeorm';

/** How often, and how, a post names a stock, board or organization. Shared by the link tables. */
export abstract class MentionCounts {
  /** All mentions: embed + link + text. */
  @Column({ type: 'integer' })
  count: number;

  @Column({ type: 'integer', name: 'embed_count', default: 0 })
  embedCount: number;

  @Column({ type: 'integer', name: 'link_count', default: 0 })
  linkCount: number;

  @Column({ type: 'integer', name: 'text_count', default: 0 })
  textCount: number;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Story clusters: a post's story signature (docs/contract.md, "Story clusters"; src/ingest/story),
 * kept so a later post can be compared with it; by date, since only posts a few days apart can
 * tell one story. Posts too short to judge have no row.
 */
@Entity({ name: 'post_story' })
@Index('ix_post_story_date', ['dateMs'])
export class PostStoryEntity {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  @Column({ type: 'bigint', name: 'date_ms' })
  dateMs: number;

  /** 64 16-bit MinHash bins, little-endian, base64. */
  @Column({ type: 'text' })
  signature: string;
}

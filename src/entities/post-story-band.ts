import { Entity, PrimaryColumn } from 'typeorm';

/**
 * Story clusters: a signed post's 16 band keys (locality-sensitive hashing), with its date, so the
 * posts that may tell the same story as a new one are one index range per key.
 */
@Entity({ name: 'post_story_band', withoutRowid: true })
export class PostStoryBandEntity {
  @PrimaryColumn({ type: 'integer', name: 'band_key' })
  bandKey: number;

  @PrimaryColumn({ type: 'bigint', name: 'date_ms' })
  dateMs: number;

  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;
}

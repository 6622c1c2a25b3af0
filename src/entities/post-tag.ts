import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'post_tag' })
@Index('ix_post_tag_tag', ['tagId', 'dateMs', 'postId'])
export class PostTagEntity {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  @PrimaryColumn({ type: 'integer', name: 'tag_id' })
  tagId: number;

  /** Order in the post's front matter. */
  @Column({ type: 'integer' })
  position: number;

  /** The post's date, copied so posts of one tag list in date order from the index alone. */
  @Column({ type: 'bigint', name: 'date_ms' })
  dateMs: number;
}

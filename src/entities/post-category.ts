import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'post_category' })
@Index('ix_post_category_category', ['categoryId', 'dateMs', 'postId'])
export class PostCategoryEntity {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  @PrimaryColumn({ type: 'integer', name: 'category_id' })
  categoryId: number;

  /** Order in the post's front matter. */
  @Column({ type: 'integer' })
  position: number;

  /** The post's date, copied so posts of one category list in date order from the index alone. */
  @Column({ type: 'bigint', name: 'date_ms' })
  dateMs: number;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MentionCounts } from './mention-counts';

@Entity({ name: 'post_stock' })
@Index('ix_post_stock_stock', ['stockId', 'dateMs', 'postId'])
export class PostStockEntity extends MentionCounts {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  @PrimaryColumn({ type: 'integer', name: 'stock_id' })
  stockId: number;

  /** The post's date, copied so posts of one stock list in date order from the index alone. */
  @Column({ type: 'bigint', name: 'date_ms' })
  dateMs: number;
}

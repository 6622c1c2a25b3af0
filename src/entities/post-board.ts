import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MentionCounts } from './mention-counts';

@Entity({ name: 'post_board' })
@Index('ix_post_board_board', ['boardId', 'dateMs', 'postId'])
export class PostBoardEntity extends MentionCounts {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  @PrimaryColumn({ type: 'integer', name: 'board_id' })
  boardId: number;

  /** The post's date, copied so posts of one board list in date order from the index alone. */
  @Column({ type: 'bigint', name: 'date_ms' })
  dateMs: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The change feed: one row per post added, updated or removed, appended by the import in the
 * transaction that made the change (docs/contract.md, "changes"). `seq` is numbered by the
 * `read_model_state` counter, not by the database: a batch that rolls back takes no number, so the
 * feed has no gaps on either database, and a number is never given twice, even after retention
 * deleted every row below it.
 */
@Entity({ name: 'post_change' })
export class PostChangeEntity {
  /** Position in the feed: 1, 2, 3, … in commit order; the cursor clients hold. */
  @PrimaryColumn({ type: 'integer' })
  seq: number;

  /** ADDED | UPDATED | REMOVED */
  @Column({ type: 'text' })
  kind: string;

  /** The post's id (no foreign key: a removed post's row is gone, and post ids are never reused). */
  @Column({ type: 'integer', name: 'post_id' })
  postId: number;

  /** The post's permalink (a post keeps it for life: a file that moves its permalink makes a new post). */
  @Column({ type: 'text' })
  url: string;

  /** When the batch wrote the change, epoch milliseconds. */
  @Column({ type: 'bigint', name: 'at_ms' })
  atMs: number;
}

import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read model: a post's related posts, ranked (docs/contract.md, "relatedCoverage"), kept by the
 * import so a page reads one row per post instead of scoring candidates on every request.
 */
@Entity({ name: 'post_related', withoutRowid: true })
@Index('ix_post_related_stamp', ['stamp', 'postId'])
export class PostRelatedEntity {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  /** `id:score:dist` entries, best first, space-separated (src/db/related/rank.ts). */
  @Column({ type: 'text' })
  ranked: string;

  /**
   * The import write stamp of the transaction that last wrote this list (db/writes/write-stamp.ts):
   * a reader that saw stamp S finds the lists changed since in `stamp > S`.
   */
  @Column({ type: 'bigint', default: 0 })
  stamp: number;
}

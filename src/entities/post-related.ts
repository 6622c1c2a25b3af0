import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model: a post's related posts, ranked (docs/contract.md, "relatedCoverage"), kept by the
 * import so a page reads one row per post instead of scoring candidates on every request.
 */
@Entity({ name: 'post_related', withoutRowid: true })
export class PostRelatedEntity {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  /** `id:score:dist` entries, best first, space-separated (src/db/related/rank.ts). */
  @Column({ type: 'text' })
  ranked: string;
}

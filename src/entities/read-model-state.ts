import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model bookkeeping, one named number a row: `related_ranked_at` is the largest post id when
 * every related list was last ranked at once (the weights' N then; see docs/contract.md).
 */
@Entity({ name: 'read_model_state' })
export class ReadModelStateEntity {
  @PrimaryColumn({ type: 'text' })
  name: string;

  @Column({ type: 'integer' })
  value: number;
}

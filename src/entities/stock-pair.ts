import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read model: how many posts link both stocks, kept by the import (both directions stored), so
 * `Stock.coMentioned` reads a stock's top pairs from an index instead of joining its coverage.
 */
@Entity({ name: 'stock_pair', withoutRowid: true })
@Index('ix_stock_pair_rank', ['stockId', 'together', 'otherId'])
export class StockPairEntity {
  @PrimaryColumn({ type: 'integer', name: 'stock_id' })
  stockId: number;

  @PrimaryColumn({ type: 'integer', name: 'other_id' })
  otherId: number;

  /** Posts that link both. */
  @Column({ type: 'integer' })
  together: number;
}

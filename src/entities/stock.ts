import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'stock' })
export class StockEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** Canonical symbol: 600050.SH, 00762.HK, NIO.US. */
  @Index('ux_stock_symbol', { unique: true })
  @Column({ type: 'text' })
  symbol: string;

  @Index('ix_stock_code')
  @Column({ type: 'text' })
  code: string;

  /** SH, SZ, BJ, HK, US, or M<id> for an unknown Eastmoney market. */
  @Column({ type: 'text' })
  market: string;

  @Column({ type: 'integer', name: 'market_id', nullable: true })
  marketId: number | null;

  @Column({ type: 'text', nullable: true })
  exchange: string | null;

  @Index('ix_stock_secid')
  @Column({ type: 'text', nullable: true })
  secid: string | null;

  @Index('ix_stock_name')
  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Index('ix_stock_organization')
  @Column({ type: 'integer', name: 'organization_id', nullable: true })
  organizationId: number | null;

  @Column({ type: 'integer', name: 'coverage_count', default: 0 })
  coverageCount: number;
}

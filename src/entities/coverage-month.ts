import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Read model: posts per UTC calendar month for each thing `coverage_day` counts, kept by the import
 * beside it, so a monthly timeline or a count over years reads a row a month, not a row a day
 * (a popular stock: ~1,000 day rows at 100k posts, 36 month rows).
 */
@Entity({ name: 'coverage_month', withoutRowid: true })
export class CoverageMonthEntity {
  /** stock | board | category | tag | organization | publisher */
  @PrimaryColumn({ type: 'text' })
  kind: string;

  /** The stock's, board's, … id (an organization's for publisher). */
  @PrimaryColumn({ type: 'integer', name: 'entity_id' })
  entityId: number;

  /** Months since 1970-01 UTC: year * 12 + month - 1 - 1970 * 12 (monthOfDay in read-model.ts). */
  @PrimaryColumn({ type: 'integer' })
  month: number;

  @Column({ type: 'integer' })
  posts: number;
}

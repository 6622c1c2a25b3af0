import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read model: posts per UTC day for each stock, board, category, tag, organization named and
 * publisher, kept by the import, so timelines and per-period counts read days, not posts.
 */
// A range's days of every entity of a kind (the facets of a date range), without reading the kind's other days.
@Index('ix_coverage_day_span', ['kind', 'day', 'entityId', 'posts'])
@Entity({ name: 'coverage_day', withoutRowid: true })
export class CoverageDayEntity {
  /** stock | board | category | tag | organization | publisher */
  @PrimaryColumn({ type: 'text' })
  kind: string;

  /** The stock's, board's, … id (an organization's for publisher). */
  @PrimaryColumn({ type: 'integer', name: 'entity_id' })
  entityId: number;

  /** Days since 1970-01-01 UTC (floor of the post's instant). */
  @PrimaryColumn({ type: 'integer' })
  day: number;

  @Column({ type: 'integer' })
  posts: number;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { StoredText } from '../ingest/render/packed';

@Entity({ name: 'post' })
// On SQLite the date index also holds lower(title), for `titleContains` (migration TitleInDateIndex);
// TypeORM cannot describe that expression, so it leaves the index (on PostgreSQL date_ms, id) to the migrations.
@Index('ix_post_date', { synchronize: false })
@Index('ix_post_publisher', ['publisherId', 'dateMs'])
@Index('ix_post_facets', ['id', 'dateMs', 'publisherId'])
export class PostEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** Permalink; two files with one permalink are one post. */
  @Index('ux_post_url', { unique: true })
  @Column({ type: 'text' })
  url: string;

  @Index('ix_post_slug')
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  title: string;

  /** The instant, epoch milliseconds. */
  @Column({ type: 'bigint', name: 'date_ms' })
  dateMs: number;

  /** Minutes east of UTC the date was written with. */
  @Column({ type: 'integer', name: 'date_offset' })
  dateOffset: number;

  @Column({ type: 'text' })
  excerpt: string;

  @Column({ type: 'text', name: 'source_url', nullable: true })
  sourceUrl: string | null;

  @Column({ type: 'integer', name: 'archive_id' })
  archiveId: number;

  /** Archive-relative path of the file that won the permalink. */
  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'text', name: 'content_hash' })
  contentHash: string;

  @Column({ type: 'integer', name: 'publisher_id', nullable: true })
  publisherId: number | null;

  // The large columns last: SQLite keeps a row's first bytes on its page and the rest in overflow
  // pages, so a list of posts that stops before them reads one page a post instead of five.
  // SQLite holds them packed (bytes in these text columns, which SQLite allows), PostgreSQL as text:
  // read them through unpackContent, the text alone through unpackText (ingest/render/packed.ts).

  @Column({ type: 'text' })
  html: StoredText;

  @Column({ type: 'text' })
  text: StoredText;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One file seen in an archive: what it became, so unchanged files are never read again. */
@Entity({ name: 'source_file' })
@Index('ux_source_file_path', ['archiveId', 'path'], { unique: true })
@Index('ix_source_file_publish_at', ['archiveId', 'publishAtMs'])
// Duplicates are few: what a permalink's loss (or a killed import) leaves to adopt is found at once.
@Index('ix_source_file_duplicate', ['url'], { where: `"status" = 'duplicate'` })
export class SourceFileEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'integer', name: 'archive_id' })
  archiveId: number;

  /** Archive-relative path with `/` separators. */
  @Column({ type: 'text' })
  path: string;

  @Column({ type: 'bigint', name: 'size' })
  size: number;

  @Column({ type: 'bigint', name: 'mtime_ms' })
  mtimeMs: number;

  /** sha256 hex of the bytes. */
  @Column({ type: 'text', name: 'file_hash' })
  fileHash: string;

  /** post | duplicate | unpublished | scheduled | page | skipped | failed */
  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** Permalink the file gives (posts and duplicates); searched only among duplicates (ix_source_file_duplicate). */
  @Column({ type: 'text', nullable: true })
  url: string | null;

  /**
   * A scheduled file (a post dated in the future under `future: false`): the instant it becomes a
   * post, when an import reads it again though its bytes did not change. Null for every other status.
   */
  @Column({ type: 'bigint', name: 'publish_at_ms', nullable: true })
  publishAtMs: number | null;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An imported archive root; its config hash decides whether every file must be read again. */
@Entity({ name: 'archive' })
export class ArchiveEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('ux_archive_root', { unique: true })
  @Column({ type: 'text' })
  root: string;

  /** sha256 of _config.yml plus the reader version: a change re-reads every file. */
  @Column({ type: 'text', name: 'config_hash' })
  configHash: string;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'tag' })
export class TagEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('ux_tag_name', { unique: true })
  @Column({ type: 'text' })
  name: string;

  /** URL-safe form of the name. */
  @Index('ix_tag_slug')
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'integer', name: 'post_count', default: 0 })
  postCount: number;
}

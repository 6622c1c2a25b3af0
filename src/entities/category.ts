import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'category' })
export class CategoryEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** The name as the first post wrote it. */
  @Column({ type: 'text' })
  name: string;

  /** Lower-cased name, as in permalinks; the lookup key. */
  @Index('ux_category_slug', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  /** Display title from the category page, as the file says. */
  @Column({ type: 'text', nullable: true })
  title: string | null;

  @Column({ type: 'integer', name: 'post_count', default: 0 })
  postCount: number;
}

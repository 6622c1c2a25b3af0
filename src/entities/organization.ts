import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Issuers of stocks, companies named in text, and publishing outlets. */
@Entity({ name: 'organization' })
export class OrganizationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('ux_organization_name', { unique: true })
  @Column({ type: 'text' })
  name: string;

  /** Posts that mention it or that it published. */
  @Column({ type: 'integer', name: 'post_count', default: 0 })
  postCount: number;
}

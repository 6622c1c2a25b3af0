import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MentionCounts } from './mention-counts';

/** A post naming an organization: in text, or through a linked stock it issues. */
@Entity({ name: 'post_organization' })
@Index('ix_post_organization_organization', ['organizationId', 'dateMs', 'postId'])
export class PostOrganizationEntity extends MentionCounts {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  @PrimaryColumn({ type: 'integer', name: 'organization_id' })
  organizationId: number;

  /** The post's date, copied so posts of one organization list in date order from the index alone. */
  @Column({ type: 'bigint', name: 'date_ms' })
  dateMs: number;
}

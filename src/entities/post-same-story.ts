import { Entity, PrimaryColumn } from 'typeorm';

/** Story clusters: two posts that tell the same story, both directions stored (`Post.sameStory`). */
@Entity({ name: 'post_same_story', withoutRowid: true })
export class PostSameStoryEntity {
  @PrimaryColumn({ type: 'integer', name: 'post_id' })
  postId: number;

  @PrimaryColumn({ type: 'integer', name: 'other_id' })
  otherId: number;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far each webhook has been delivered: the last change-feed seq its receiver acknowledged
 * (a 2xx answer). Kept in the database so that a restarted server goes on from there.
 */
@Entity({ name: 'webhook_cursor' })
export class WebhookCursorEntity {
  /** The receiver's URL, as given to `--webhook`. */
  @PrimaryColumn({ type: 'text' })
  url: string;

  /** The last seq delivered (the feed's head when the webhook was first seen: it starts from then). */
  @Column({ type: 'integer' })
  seq: number;

  /** When the last delivery was acknowledged, epoch ms (null: none yet). */
  @Column({ type: 'bigint', name: 'delivered_ms', nullable: true })
  deliveredMs: number | null;
}

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A sector or concept board (Eastmoney market 90). */
@Entity({ name: 'board' })
export class BoardEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** BK0493 */
  @Index('ux_board_code', { unique: true })
  @Column({ type: 'text' })
  code: string;

  /** 90.BK0493 */
  @Column({ type: 'text' })
  secid: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'integer', name: 'post_count', default: 0 })
  postCount: number;
}

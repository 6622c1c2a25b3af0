import { ArchiveEntity } from './archive';
import { BoardEntity } from './board';
import { CategoryEntity } from './category';
import { CoverageDayEntity } from './coverage-day';
import { CoverageMonthEntity } from './coverage-month';
import { OrganizationEntity } from './organization';
import { PostEntity } from './post';
import { PostBoardEntity } from './post-board';
import { PostChangeEntity } from './post-change';
import { PostCategoryEntity } from './post-category';
import { PostOrganizationEntity } from './post-organization';
import { PostRelatedEntity } from './post-related';
import { PostSameStoryEntity } from './post-same-story';
import { PostLinksEntity } from './post-links';
import { PostStoryEntity } from './post-story';
import { PostStockEntity } from './post-stock';
import { PostTagEntity } from './post-tag';
import { ReadModelStateEntity } from './read-model-state';
import { SourceFileEntity } from './source-file';
import { StockEntity } from './stock';
import { StockPairEntity } from './stock-pair';
import { TagEntity } from './tag';
import { WebhookCursorEntity } from './webhook-cursor';

export {
  ArchiveEntity,
  BoardEntity,
  CategoryEntity,
  CoverageDayEntity,
  CoverageMonthEntity,
  OrganizationEntity,
  PostEntity,
  PostBoardEntity,
  PostCategoryEntity,
  PostChangeEntity,
  PostOrganizationEntity,
  PostRelatedEntity,
  PostSameStoryEntity,
  PostStockEntity,
  PostLinksEntity,
  PostStoryEntity,
  PostTagEntity,
  ReadModelStateEntity,
  SourceFileEntity,
  StockEntity,
  StockPairEntity,
  TagEntity,
  WebhookCursorEntity,
};

/** Every table the migrations create, as TypeORM entities (row shapes come from these: src/db/schema). */
export const entities = [
  ArchiveEntity,
  SourceFileEntity,
  PostEntity,
  CategoryEntity,
  TagEntity,
  OrganizationEntity,
  StockEntity,
  BoardEntity,
  PostCategoryEntity,
  PostTagEntity,
  PostStockEntity,
  PostBoardEntity,
  PostOrganizationEntity,
  PostRelatedEntity,
  StockPairEntity,
  PostLinksEntity,
  PostStoryEntity,
  PostSameStoryEntity,
  CoverageDayEntity,
  CoverageMonthEntity,
  ReadModelStateEntity,
  PostChangeEntity,
  WebhookCursorEntity,
];

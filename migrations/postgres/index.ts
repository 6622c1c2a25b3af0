// Ordered list: imported explicitly so compiled code and ts-jest find the same migrations.
import type { MigrationInterface } from 'typeorm';
import { PgInit1795563699990 } from './1795563699990-PgInit';
import { PgReadModel1795563699992 } from './1795563699992-PgReadModel';
import { PgRelatedLists1795563699994 } from './1795563699994-PgRelatedLists';
import { PgChangeFeed1795563699996 } from './1795563699996-PgChangeFeed';
import { PgWebhookCursors1795563699998 } from './1795563699998-PgWebhookCursors';

import { PgScheduledPosts1795563700000 } from './1795563700000-PgScheduledPosts';
import { PgDropPostSource1795563700002 } from './1795563700002-PgDropPostSource';
import { PgRelatedListStamp1795563700004 } from './1795563700004-PgRelatedListStamp';
import { PgDuplicateFilesIndex1795563700006 } from './1795563700006-PgDuplicateFilesIndex';
import { PgDropUnusedIndexes1795563700008 } from './1795563700008-PgDropUnusedIndexes';
import { PgCoverageMonth1795563700010 } from './1795563700010-PgCoverageMonth';
import { PgPostFacetsIndex1795563700012 } from './1795563700012-PgPostFacetsIndex';
import { PgSearchFold1795563700014 } from './1795563700014-PgSearchFold';
import { PgStoryClusters1795563700016 } from './1795563700016-PgStoryClusters';
import { PgPostLinks1795563700018 } from './1795563700018-PgPostLinks';
import { PgSearchUnicodeFold1795563700020 } from './1795563700020-PgSearchUnicodeFold';
import { PgCoverageAllPosts1795563700022 } from './1795563700022-PgCoverageAllPosts';

export const postgresMigrations: (new () => MigrationInterface)[] = [
  PgInit1795563699990,
  PgReadModel1795563699992,
  PgRelatedLists1795563699994,
  PgChangeFeed1795563699996,
  PgWebhookCursors1795563699998,
  PgScheduledPosts1795563700000,
  PgDropPostSource1795563700002,
  PgRelatedListStamp1795563700004,
  PgDuplicateFilesIndex1795563700006,
  PgDropUnusedIndexes1795563700008,
  PgCoverageMonth1795563700010,
  PgPostFacetsIndex1795563700012,
  PgSearchFold1795563700014,
  PgStoryClusters1795563700016,
  PgPostLinks1795563700018,
  PgSearchUnicodeFold1795563700020,
  PgCoverageAllPosts1795563700022,
];

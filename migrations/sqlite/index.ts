// Ordered list: imported explicitly so compiled code and ts-jest find the same migrations.
import type { MigrationInterface } from 'typeorm';
import { Init1795563699989 } from './1795563699989-Init';
import { ReadModel1795563699991 } from './1795563699991-ReadModel';
import { RelatedLists1795563699993 } from './1795563699993-RelatedLists';
import { PostLargeColumnsLast1795563699995 } from './1795563699995-PostLargeColumnsLast';
import { ChangeFeed1795563699997 } from './1795563699997-ChangeFeed';
import { WebhookCursors1795563699999 } from './1795563699999-WebhookCursors';

import { ScheduledPosts1795563700001 } from './1795563700001-ScheduledPosts';
import { DropPostSource1795563700003 } from './1795563700003-DropPostSource';
import { RelatedListStamp1795563700005 } from './1795563700005-RelatedListStamp';
import { DuplicateFilesIndex1795563700007 } from './1795563700007-DuplicateFilesIndex';
import { DropUnusedIndexes1795563700009 } from './1795563700009-DropUnusedIndexes';
import { CoverageMonth1795563700011 } from './1795563700011-CoverageMonth';
import { PostFacetsIndex1795563700013 } from './1795563700013-PostFacetsIndex';
import { SearchFold1795563700015 } from './1795563700015-SearchFold';
import { StoryClusters1795563700017 } from './1795563700017-StoryClusters';
import { PostLinks1795563700019 } from './1795563700019-PostLinks';
import { SearchAscii1795563700021 } from './1795563700021-SearchAscii';
import { CoverageAllPosts1795563700023 } from './1795563700023-CoverageAllPosts';
import { TitleInDateIndex1795563700025 } from './1795563700025-TitleInDateIndex';

export const sqliteMigrations: (new () => MigrationInterface)[] = [
  Init1795563699989,
  ReadModel1795563699991,
  RelatedLists1795563699993,
  PostLargeColumnsLast1795563699995,
  ChangeFeed1795563699997,
  WebhookCursors1795563699999,
  ScheduledPosts1795563700001,
  DropPostSource1795563700003,
  RelatedListStamp1795563700005,
  DuplicateFilesIndex1795563700007,
  DropUnusedIndexes1795563700009,
  CoverageMonth1795563700011,
  PostFacetsIndex1795563700013,
  SearchFold1795563700015,
  StoryClusters1795563700017,
  PostLinks1795563700019,
  SearchAscii1795563700021,
  CoverageAllPosts1795563700023,
  TitleInDateIndex1795563700025,
];

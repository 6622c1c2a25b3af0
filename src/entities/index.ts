import { Archive } from './Archive';
import { Board } from './Board';
import { Category } from './Category';
import { Organization } from './Organization';
import { Post } from './Post';
import { PostBoard } from './PostBoard';
import { PostCategory } from './PostCategory';
import { PostOrganization } from './PostOrganization';
import { PostStock } from './PostStock';
import { PostTag } from './PostTag';
import { SourceFile } from './SourceFile';
import { Stock } from './Stock';
import { Tag } from './Tag';

export {
  Archive,
  Board,
  Category,
  Organization,
  Post,
  PostBoard,
  PostCategory,
  PostOrganization,
  PostStock,
  PostTag,
  SourceFile,
  Stock,
  Tag,
};

export const entities = [
  Archive,
  SourceFile,
  Post,
  Category,
  Tag,
  Organization,
  Stock,
  Board,
  PostCategory,
  PostTag,
  PostStock,
  PostBoard,
  PostOrganization,
];

// Ordered list: imported explicitly so compiled code and ts-jest find the same migrations.
import type { MigrationInterface } from 'typeorm';
import { Init1795563699989 } from './1795563699989-Init';

export const sqliteMigrations: (new () => MigrationInterface)[] = [Init1795563699989];

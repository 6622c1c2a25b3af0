// Ordered list: imported explicitly so compiled code and ts-jest find the same migrations.
import type { MigrationInterface } from 'typeorm';
import { PgInit1795563699990 } from './1795563699990-PgInit';

export const postgresMigrations: (new () => MigrationInterface)[] = [PgInit1795563699990];

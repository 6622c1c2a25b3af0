// Ordered list: imported explicitly so compiled code and ts-jest find the same migrations.
import { Init1795563699989 } from './1795563699989-Init';

export const sqliteMigrations: Function[] = [Init1795563699989];

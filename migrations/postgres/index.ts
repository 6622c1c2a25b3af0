// Ordered list: imported explicitly so compiled code and ts-jest find the same migrations.
import { PgInit1795563699990 } from './1795563699990-PgInit';

export const postgresMigrations: Function[] = [PgInit1795563699990];

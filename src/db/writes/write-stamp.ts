/**
 * The import's write stamp: a `read_model_state` counter every import transaction that wrote
 * moves, in that transaction (both writers, the same statement). Readers that follow imports (the
 * response cache) tell by it that a commit was an import's, and by the change feed what it
 * changed. A database's own version (SQLite's data_version) moves for more than commits: SQLite
 * moves it when a writer starts a new write-ahead log, at the start of a write transaction.
 */
export const WRITE_STAMP = 'import_write_stamp';

export const BUMP_WRITE_STAMP = `INSERT INTO read_model_state (name, value) VALUES ('${WRITE_STAMP}', 1)
  ON CONFLICT (name) DO UPDATE SET value = read_model_state.value + 1`;

/**
 * Moves the stamp inside a transaction, before it writes what carries the stamp (related lists),
 * and returns the new value. On PostgreSQL the row stays locked until commit, so a concurrent
 * import waits here and claims a later value: a reader that saw stamp S after a commit never
 * misses a row stamped S or less by a transaction that commits later.
 */
export const CLAIM_WRITE_STAMP = `${BUMP_WRITE_STAMP} RETURNING value`;

import { ConflictError, HarkError } from '../../../shared/errors.js';

/** SQLite's unique violations become the same ConflictError the Mongo adapter throws (contract C-ERR-1). */
export function translateSqliteError(e: unknown, what: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new ConflictError(`${what} already exists`);
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_FULL' || code === 'SQLITE_IOERR') {
    return new HarkError('unavailable', 503, 'The database is busy; try again.', undefined, true);
  }
  return e;
}

import { ConflictError, HarkError } from '../../../shared/errors.js';

interface DriverError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errorResponse?: { code?: unknown; errmsg?: unknown };
  writeErrors?: Array<{ code?: unknown; err?: { code?: unknown } }>;
  writeErrorResult?: { code?: unknown };
}

/**
 * Real MongoDB and the wire-protocol test servers put the duplicate-key code in
 * different places (top level, errorResponse, per write error, only in the
 * message), so every one of them is looked at.
 */
export function isDuplicateKey(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const d = e as DriverError;
  const dup = (c: unknown) => c === 11000 || c === 11001 || c === 12582;
  if (dup(d.code) || dup(d.errorResponse?.code) || dup(d.writeErrorResult?.code)) return true;
  if (Array.isArray(d.writeErrors) && d.writeErrors.some((w) => dup(w.code) || dup(w.err?.code))) return true;
  const msg = typeof d.message === 'string' ? d.message : typeof d.errorResponse?.errmsg === 'string' ? d.errorResponse.errmsg : '';
  return /\bE11000\b|duplicate key/i.test(msg);
}

const UNAVAILABLE = /MongoNetwork|MongoServerSelection|MongoNotConnected|MongoTopologyClosed|PoolCleared|MongoNetworkTimeout/;

/** Driver errors become Hark's: unique violations ConflictError (C-ERR-1), a lost connection 503 "try again". */
export function translateMongoError(e: unknown, what: string): unknown {
  if (isDuplicateKey(e)) return new ConflictError(`${what} already exists`);
  const name = (e as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && UNAVAILABLE.test(name)) {
    return new HarkError('unavailable', 503, 'The database is unreachable; try again.', undefined, true);
  }
  return e;
}

/** Runs a driver call and translates what it throws. */
export async function guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw translateMongoError(e, what);
  }
}

import { ValidationError } from '../../shared/errors.js';

/** Opaque keyset cursors: base64url of a JSON array of the sort key and id. Shared by all adapters. */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: Array<'string' | 'number'>): Array<string | number> {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === shape.length && parts.every((p, i) => typeof p === shape[i])) {
      return parts as Array<string | number>;
    }
  } catch {
    // fall through to the error below
  }
  throw new ValidationError('cursor is invalid for this sort; start again without it', { field: 'cursor' });
}

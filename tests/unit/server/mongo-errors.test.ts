import { describe, expect, it } from 'vitest';
import { isHarkError } from '../../../shared/errors.js';
import { isDuplicateKey, translateMongoError } from '../../../server/store/mongo/errors.js';

/** Duplicate keys as real MongoDB, the Java wire server and the driver's bulk errors report them: all become ConflictError (C-ERR-1). */
describe('MongoDB driver errors → Hark errors', () => {
  const shapes: Array<[string, unknown]> = [
    ['real MongoDB: code on the error, keyPattern/keyValue', Object.assign(new Error('E11000 duplicate key error collection: hark.users index: email dup key: { email: "a@b.c" }'), { name: 'MongoServerError', code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@b.c' } })],
    ['Java wire server: code only in errorResponse', { name: 'MongoServerError', errorResponse: { index: 0, code: 11000, codeName: 'DuplicateKey', errmsg: 'E11000 duplicate key error' } }],
    ['bulk write: only per-write errors', { name: 'MongoBulkWriteError', writeErrors: [{ index: 2, code: 11000 }] }],
    ['bulk write, older shape: err.code', { name: 'MongoBulkWriteError', writeErrors: [{ index: 0, err: { code: 11000 } }] }],
    ['legacy 11001', { name: 'MongoServerError', code: 11001 }],
    ['no code at all, only the message', { name: 'MongoServerError', message: 'E11000 duplicate key error index: number_1' }],
  ];
  for (const [what, err] of shapes) {
    it(`${what} is a ConflictError`, () => {
      expect(isDuplicateKey(err)).toBe(true);
      const t = translateMongoError(err, 'user');
      expect(isHarkError(t)).toBe(true);
      expect(t).toMatchObject({ code: 'conflict', status: 409 });
    });
  }

  it('other server errors pass through; a lost connection is a 503 to retry', () => {
    const other = Object.assign(new Error('bad $inc'), { name: 'MongoServerError', code: 14 });
    expect(isDuplicateKey(other)).toBe(false);
    expect(translateMongoError(other, 'x')).toBe(other);
    for (const name of ['MongoNetworkError', 'MongoServerSelectionError', 'MongoNotConnectedError', 'MongoTopologyClosedError', 'PoolClearedError']) {
      expect(translateMongoError(Object.assign(new Error('gone'), { name }), 'x')).toMatchObject({ code: 'unavailable', status: 503 });
    }
    expect(isDuplicateKey(null)).toBe(false);
    expect(isDuplicateKey('E11000')).toBe(false);
  });
});

import { describe, it } from 'vitest';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerWallContract } from './wall-contract.js';

if (MONGODB_URI) {
  registerWallContract('mongo (mongoose 8)', () => mongoTestStore());
} else {
  describe('wall roll-ups contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

import { describe, it } from 'vitest';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerSavedViewsContract } from './saved-views-contract.js';

if (MONGODB_URI) {
  registerSavedViewsContract('mongo (mongoose 8)', () => mongoTestStore());
} else {
  describe('saved views contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

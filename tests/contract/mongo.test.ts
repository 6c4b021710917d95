import { describe, it } from 'vitest';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerStoreContract } from './store-contract.js';
import { registerReportContract } from './report-store-contract.js';

if (MONGODB_URI) {
  registerStoreContract('mongo (mongoose 8)', () => mongoTestStore());
  registerReportContract('mongo (mongoose 8)', () => mongoTestStore());
} else {
  describe('storage contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

import { describe, it } from 'vitest';
import { openMongoStore } from '../../server/store/mongo/mongo-store.js';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerStoreContract } from './store-contract.js';
import { registerReportContract } from './report-store-contract.js';

if (MONGODB_URI) {
  registerStoreContract('mongo (mongoose 8)', () => mongoTestStore());
  registerReportContract('mongo (mongoose 8)', async () => {
    const h = await mongoTestStore();
    // A second connection to the same database, as another process has.
    return { ...h, another: () => openMongoStore({ uri: h.uri, rollupGraceMs: 0 }) };
  });
} else {
  describe('storage contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

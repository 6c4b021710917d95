import { describe, it } from 'vitest';
import { MONGODB_URI, skipMongoReason } from '../support/mongo.js';

// With MONGODB_URI set, the store-taking integration suites run again on MongoDB (project "mongo", tests/vitest.config.ts).
if (!MONGODB_URI) {
  describe('integration suites on MongoDB', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

import { describe, it } from 'vitest';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerSupportContract } from './support-contract.js';

if (MONGODB_URI) {
  registerSupportContract('mongo (mongoose 8)', () => mongoTestStore());
} else {
  describe('support contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

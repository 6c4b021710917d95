import { describe, it } from 'vitest';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerCustomerListContract } from './customer-list-contract.js';

if (MONGODB_URI) {
  registerCustomerListContract('mongo (mongoose 8)', () => mongoTestStore());
} else {
  describe('customer list contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

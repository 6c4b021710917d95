import { describe, it } from 'vitest';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerInvestigationContract } from './investigation-contract.js';

if (MONGODB_URI) {
  registerInvestigationContract('mongo (mongoose 8)', () => mongoTestStore());
} else {
  describe('investigations contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { mongoTestStore, MONGODB_URI, skipMongoReason } from '../support/mongo.js';
import { registerSearchBoundsContract } from './search-bounds-contract.js';

registerSearchBoundsContract('sqlite (file, WAL)', async (search) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-search-'));
  const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite'), search });
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

if (MONGODB_URI) {
  registerSearchBoundsContract('mongo (mongoose 8)', (search) => mongoTestStore({ search }));
} else {
  describe('search bounds contract: mongo', () => {
    it.skip(`skipped MongoDB: ${skipMongoReason}`, () => undefined);
  });
}

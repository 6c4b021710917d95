import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { registerSavedViewsContract } from './saved-views-contract.js';

registerSavedViewsContract('sqlite (file, WAL)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-views-'));
  const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { registerStoreContract } from './store-contract.js';
import { registerReportContract } from './report-store-contract.js';

const openFileStore = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-contract-'));
  const file = path.join(dir, 'hark.sqlite');
  const store = openSqliteStore({ file });
  return {
    store,
    // A second connection to the same file, as another process has.
    another: async () => openSqliteStore({ file }),
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

registerStoreContract('sqlite (file, WAL)', openFileStore);
registerReportContract('sqlite (file, WAL)', openFileStore);

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { registerStoreContract } from './store-contract.js';
import { registerReportContract } from './report-store-contract.js';

const openFileStore = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-contract-'));
  const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

registerStoreContract('sqlite (file, WAL)', openFileStore);
registerReportContract('sqlite (file, WAL)', openFileStore);

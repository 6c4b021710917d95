import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { registerWallContract } from './wall-contract.js';

registerWallContract('sqlite (file, WAL)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hark-wall-'));
  const store = openSqliteStore({ file: path.join(dir, 'hark.sqlite') });
  return {
    store,
    async cleanup() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

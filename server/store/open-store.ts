import path from 'node:path';
import type { Store } from '../../shared/store.js';
import type { Config } from '../config.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/** Picks the adapter named by config. The Mongo adapter joins here in the distributed-mode issue. */
export function openStore(config: Pick<Config, 'store' | 'dataDir'>): Store {
  switch (config.store) {
    case 'sqlite':
      return openSqliteStore({ file: path.join(config.dataDir, 'hark.sqlite') });
  }
}

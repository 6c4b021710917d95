import path from 'node:path';
import type { Store } from '../../shared/store.js';
import { ConfigError, type Config } from '../config.js';
import { MongoUnreachableError, openMongoStore, redactUri } from './mongo/mongo-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

/** Picks the adapter named by config. A MongoDB that cannot be reached at start is a configuration error naming MONGODB_URI. */
export async function openStore(config: Pick<Config, 'store' | 'dataDir' | 'mongo'>): Promise<Store> {
  switch (config.store) {
    case 'sqlite':
      return openSqliteStore({ file: path.join(config.dataDir, 'hark.sqlite') });
    case 'mongo': {
      if (!config.mongo) throw new ConfigError('STORE=mongo needs MONGODB_URI');
      try {
        return await openMongoStore({ uri: config.mongo.uri, connectTimeoutMs: config.mongo.connectTimeoutMs });
      } catch (e) {
        if (e instanceof MongoUnreachableError) throw new ConfigError(`Invalid configuration:\n  MONGODB_URI: ${e.message}`);
        throw e;
      }
    }
  }
}

/** What a person reads at start: where the data lives. */
export function describeStore(config: Pick<Config, 'store' | 'dataDir' | 'mongo'>): string {
  return config.store === 'mongo' && config.mongo ? `MongoDB at ${redactUri(config.mongo.uri)}` : `SQLite in ${config.dataDir}`;
}

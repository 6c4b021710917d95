import type { Store } from '../../shared/store.js';
import { openSqliteStore } from '../../server/store/sqlite/sqlite-store.js';
import { openMongoStore } from '../../server/store/mongo/mongo-store.js';
import { dropMongoDatabase, freshMongoUri, MONGODB_URI } from './mongo.js';

/**
 * Which store the integration suites run on: SQLite, or MongoDB when
 * HARK_TEST_STORE=mongo (tests/vitest.config.ts runs them a second time that
 * way whenever MONGODB_URI is set). Each test gets a fresh database.
 */
export const TEST_STORE: 'sqlite' | 'mongo' = process.env.HARK_TEST_STORE === 'mongo' ? 'mongo' : 'sqlite';
if (TEST_STORE === 'mongo' && !MONGODB_URI) throw new Error('HARK_TEST_STORE=mongo needs MONGODB_URI');

/** Env for a Hark on the test store, and how to remove its data afterwards. */
export function testStoreEnv(): { env: Record<string, string>; drop(): Promise<void> } {
  if (TEST_STORE === 'sqlite') return { env: {}, drop: async () => undefined };
  const uri = freshMongoUri('hark_it');
  return { env: { STORE: 'mongo', MONGODB_URI: uri }, drop: () => dropMongoDatabase(uri) };
}

/** A store of the test kind; for SQLite at `file`. Closing a MongoDB one drops its database. */
export async function openTestStore(file: string): Promise<Store> {
  if (TEST_STORE === 'sqlite') return openSqliteStore({ file });
  const uri = freshMongoUri('hark_it');
  const store = await openMongoStore({ uri });
  return {
    ...store,
    async close() {
      await store.close();
      await dropMongoDatabase(uri);
    },
  };
}

/** `n` stores of the test kind on one database, as `n` processes have (SQLite: `n` connections to `file`). */
export async function openSharedTestStores(file: string, n: number): Promise<{ stores: Store[]; close(): Promise<void> }> {
  if (TEST_STORE === 'sqlite') {
    const stores = Array.from({ length: n }, () => openSqliteStore({ file }));
    return { stores, close: async () => void (await Promise.all(stores.map((s) => s.close()))) };
  }
  const uri = freshMongoUri('hark_it');
  const stores: Store[] = [];
  for (let i = 0; i < n; i++) stores.push(await openMongoStore({ uri }));
  return {
    stores,
    async close() {
      await Promise.all(stores.map((s) => s.close()));
      await dropMongoDatabase(uri);
    },
  };
}

/** Two stores of the test kind on one database, as two processes have (SQLite: two connections to `file`). */
export async function openTwoTestStores(file: string): Promise<{ a: Store; b: Store; close(): Promise<void> }> {
  const { stores, close } = await openSharedTestStores(file, 2);
  return { a: stores[0]!, b: stores[1]!, close };
}

import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { openMongoStore, type MongoStoreOptions } from '../../server/store/mongo/mongo-store.js';

/**
 * MongoDB for tests: set MONGODB_URI (e.g. mongodb://127.0.0.1:27017) to run
 * the Mongo suites; each test gets its own database (random name), dropped after.
 */
export const MONGODB_URI = process.env.MONGODB_URI ?? '';
export const skipMongoReason = 'MONGODB_URI is not set, so nothing ran against MongoDB (set it to a MongoDB server to run these)';

/** The URI with a fresh database name in place of the path. */
export function freshMongoUri(prefix = 'hark_test'): string {
  const url = new URL(MONGODB_URI);
  url.pathname = `/${prefix}_${randomBytes(5).toString('hex')}`;
  return url.toString();
}

export async function dropMongoDatabase(uri: string) {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    await conn.dropDatabase();
  } finally {
    await conn.close();
  }
}

export async function mongoTestStore(opts: Partial<MongoStoreOptions> = {}) {
  const uri = freshMongoUri();
  const store = await openMongoStore({ uri, rollupGraceMs: 0, ...opts });
  return {
    store,
    uri,
    async cleanup() {
      await store.close();
      await dropMongoDatabase(uri);
    },
  };
}

/**
 * Names the server behind a URI for benchmark labels. The mongo-java-server
 * test double answers buildInfo with a bare version (no gitVersion, no
 * storage engines), which is how it is told apart from MongoDB.
 */
export async function describeMongoServer(uri: string): Promise<{ short: string; long: string; testDouble: boolean }> {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    const info = (await conn.db!.admin().command({ buildInfo: 1 })) as { version?: string; gitVersion?: string; storageEngines?: string[] };
    const host = new URL(uri).host;
    const testDouble = !info.gitVersion;
    const name = testDouble ? `mongo-java-server (in-memory wire-protocol test double, reports MongoDB ${info.version ?? '?'})` : `MongoDB ${info.version ?? '?'}${info.storageEngines?.length ? ` (${info.storageEngines.join(', ')})` : ''}`;
    return { short: testDouble ? 'mongo-java-server' : `MongoDB ${info.version}`, long: `${name} at ${host}`, testDouble };
  } finally {
    await conn.close();
  }
}

/** Every document of every collection of the database, as text: for "this secret never reaches the store" checks. */
export async function rawMongoText(uri: string): Promise<string> {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 }).asPromise();
  try {
    const out: string[] = [];
    for (const c of await conn.db!.listCollections().toArray()) out.push(JSON.stringify(await conn.db!.collection(c.name).find({}).toArray()));
    return out.join('\n');
  } finally {
    await conn.close();
  }
}

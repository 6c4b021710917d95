import mongoose from 'mongoose';
import type { Store } from '../../../shared/store.js';
import { alertStore, customerStore, webhookDeliveryStore } from './crm-stores.js';
import type { Col, Doc, MongoDb } from './db.js';
import { mentionStore } from './mention-store.js';
import { type CollectionName, defineModels, ensureIndexes } from './models.js';
import { rollupStore, sessionStore, userStore } from './user-stores.js';
import { auditStore, cannedResponseStore, caseStore, correctionStore, replyStore, settingsStore, timelineStore } from './workflow-stores.js';

export interface MongoStoreOptions {
  uri: string;
  /** How long to wait for the server at start before giving up (ms). */
  connectTimeoutMs?: number;
  /** Pending rollups of another call are finished only when older than this (ms). */
  rollupGraceMs?: number;
  /** Test hook: runs after each step of a multi-document write; throwing there simulates a crash between steps. */
  afterStep?: (step: string) => void | Promise<void>;
}

export interface MongoStore extends Store {
  /** Finishes rollups of writes that stopped between storing mentions and counting them; returns how many mentions it counted. */
  repairRollups(): Promise<number>;
  /** The adapter's own collections, for the migration from SQLite (which keeps ids). */
  readonly internal: MongoDb & { raiseSequence(name: string, atLeast: number): Promise<void> };
}

export class MongoUnreachableError extends Error {}

/** Hides the password of a connection string in messages. */
export const redactUri = (uri: string) => uri.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');

/**
 * Opens the MongoDB store: connects (failing with MongoUnreachableError if the
 * server cannot be reached in time), creates missing indexes, and finishes
 * rollups a crashed writer left. After that the driver reconnects on its own
 * when the connection drops; calls made meanwhile fail as 503 "try again".
 */
export async function openMongoStore(opts: MongoStoreOptions): Promise<MongoStore> {
  const conn = mongoose.createConnection(opts.uri, {
    serverSelectionTimeoutMS: opts.connectTimeoutMs ?? 10_000,
    ignoreUndefined: true,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
    // No sessions or transactions are used: the adapter's writes are ordered, idempotent steps.
    retryWrites: false,
  });
  try {
    await conn.asPromise();
  } catch (e) {
    await conn.close().catch(() => undefined);
    throw new MongoUnreachableError(`cannot reach MongoDB at ${redactUri(opts.uri)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const models = defineModels(conn);
  const col = (name: CollectionName): Col => models.get(name)!.collection as unknown as Col;
  const counters = col('counters');
  const internal = {
    col,
    async nextIds(sequence: string, n: number) {
      const r = await counters.findOneAndUpdate({ _id: sequence } as Doc, { $inc: { n } }, { upsert: true, returnDocument: 'after' });
      return (r!.n as number) - n + 1;
    },
    async step(name: string) {
      await opts.afterStep?.(name);
    },
    async raiseSequence(name: string, atLeast: number) {
      await counters.updateOne({ _id: name } as Doc, { $max: { n: atLeast } }, { upsert: true });
    },
  };
  await ensureIndexes(models);
  const mentions = mentionStore(internal, { rollupGraceMs: opts.rollupGraceMs ?? 30_000 });
  await mentions.repairRollups();

  return {
    kind: 'mongo',
    mentions,
    rollups: rollupStore(internal),
    users: userStore(internal),
    sessions: sessionStore(internal),
    cases: caseStore(internal),
    timeline: timelineStore(internal),
    replies: replyStore(internal),
    cannedResponses: cannedResponseStore(internal),
    audit: auditStore(internal),
    settings: settingsStore(internal),
    webhookDeliveries: webhookDeliveryStore(internal),
    customers: customerStore(internal),
    corrections: correctionStore(internal),
    alerts: alertStore(internal),
    repairRollups: () => mentions.repairRollups(),
    internal,
    async close() {
      await conn.close();
    },
  };
}

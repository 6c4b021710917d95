import mongoose from 'mongoose';
import type { Store } from '../../../shared/store.js';
import type { SearchBounds } from '../../../shared/mention-query.js';
import { alertStore, customerStore, webhookDeliveryStore } from './crm-stores.js';
import type { Col, Doc, MongoDb } from './db.js';
import { mentionStore } from './mention-store.js';
import { caseQueueStore } from './case-queue-store.js';
import { noticeStore } from './notice-store.js';
import { savedViewStore } from './saved-view-store.js';
import { foldBucketRows, reportStore } from './report-store.js';
import { COLLECTIONS, type CollectionName, defineModels, ensureIndexes } from './models.js';
import { guard, translateMongoError } from './errors.js';
import { counterId, counterStore, leaseStore } from './lease-store.js';
import { wallRollupStore } from './wall-rollup-store.js';
import { investigationStore } from './investigation-store.js';
import { legacySessionId, rollupStore, sessionStore, userStore } from './user-stores.js';
import { CASE_COUNTER, CASE_NUMBER_BASE } from './workflow-stores.js';
import { auditStore, cannedResponseStore, caseStore, correctionStore, replyStore, settingsStore, timelineStore } from './workflow-stores.js';

export interface MongoStoreOptions {
  uri: string;
  /** How long to wait for the server at start before giving up (ms). */
  connectTimeoutMs?: number;
  /** Pending rollups of another call are finished only when older than this (ms). */
  rollupGraceMs?: number;
  /** Test hook: runs after each step of a multi-document write; throwing there simulates a crash between steps. */
  afterStep?: (step: string) => void | Promise<void>;
  /** Work bounds of a text search (defaults in shared/mention-query.ts). */
  search?: Partial<SearchBounds>;
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
      // 'before' (null when the upsert created it): see nextCount for why not 'after'.
      const before = await counters.findOneAndUpdate({ _id: sequence } as Doc, { $inc: { n } }, { upsert: true, returnDocument: 'before' });
      return ((before?.n as number | undefined) ?? 0) + 1;
    },
    async step(name: string) {
      await opts.afterStep?.(name);
    },
    async raiseSequence(name: string, atLeast: number) {
      await counters.updateOne({ _id: name } as Doc, { $max: { n: atLeast } }, { upsert: true });
    },
  };
  await ensureIndexes(models);
  await upgrade(col);
  const mentions = mentionStore(internal, { rollupGraceMs: opts.rollupGraceMs ?? 30_000, ...(opts.search ? { search: opts.search } : {}) });
  await mentions.repairRollups();

  return {
    kind: 'mongo',
    mentions,
    rollups: rollupStore(internal),
    wallRollups: wallRollupStore(internal),
    investigations: investigationStore(internal),
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
    reports: reportStore(internal),
    leases: leaseStore(internal),
    counters: counterStore(internal),
    caseQueue: caseQueueStore(internal),
    notices: noticeStore(internal),
    savedViews: savedViewStore(internal),
    /**
     * What MongoDB lets a client do: every erasure is already an update or a
     * delete in the collections, so no collection holds the erased values;
     * here each collection is compacted where the server supports it
     * (WiredTiger rewrites it and releases freed space). What a client cannot
     * reach: freed blocks WiredTiger has not reused yet, the journal, the
     * oplog of a replica set, backups and snapshots; those age out on the
     * server's own schedule (see the README).
     */
    async scrub() {
      for (const name of Object.keys(COLLECTIONS)) {
        try {
          await conn.db!.command({ compact: name });
        } catch (e) {
          // Not supported (the wire test server, some hosted tiers) or nothing to compact: the collections are already clean.
          if (!(e instanceof mongoose.mongo.MongoServerError)) throw translateMongoError(e, 'store');
        }
      }
    },
    async ping() {
      await guard('store', () => conn.db!.admin().ping());
    },
    repairRollups: () => mentions.repairRollups(),
    internal,
    async close() {
      await conn.close();
    },
  };
}

/**
 * Brings data written by an older adapter up to date (idempotent, safe when
 * processes start together): case numbers move from the old `caseNumber`
 * sequence to the `case` counter ($max, so never backwards), and sessions get
 * the public id SQLite's migration gives them, and report histograms kept as a
 * document per bucket are folded into one document per row (once: a marker in
 * `migrations` says it is done, so later starts do not scan the rollups), and
 * negative topics' week rows are dropped (likewise once).
 */
async function upgrade(col: (name: CollectionName) => Col) {
  const migrations = col('migrations');
  // A step marked done is not run again; each step is idempotent, so processes starting together may both run it.
  const once = async (id: string, step: () => Promise<unknown>) => {
    if (await migrations.findOne({ _id: id } as Doc)) return;
    await step();
    await migrations.updateOne({ _id: id } as Doc, { $set: { done: true } }, { upsert: true });
  };
  await once('report_rollups:hist', () => foldBucketRows(col('report_rollups')));
  // Negative topics keep day rows only (grainsOf): week rows are never read again and hold words an erasure could not find.
  await once('report_rollups:topic-weeks', () => col('report_rollups').deleteMany({ dim: 'neg.topic', grain: 'week' } as Doc));
  const counters = col('counters');
  const old = await counters.findOne({ _id: 'caseNumber' } as Doc);
  if (old) await counters.updateOne({ _id: counterId(CASE_COUNTER) } as Doc, { $max: { n: CASE_NUMBER_BASE + (old.n as number) } }, { upsert: true });
  const sessions = col('sessions');
  for (const s of await sessions.find({ id: { $exists: false } }, { projection: { _id: 1 } }).limit(100_000).toArray()) {
    await sessions.updateOne({ _id: s._id, id: { $exists: false } } as Doc, { $set: { id: legacySessionId(s._id as unknown as string) } });
  }
}

import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../../../shared/store.js';
import { DEFAULT_SEARCH_BOUNDS, type SearchBounds } from '../../../shared/mention-query.js';
import { mentionStore } from './mention-store.js';
import { statementCache } from './prepare.js';
import { rollupStore } from './rollup-store.js';
import { wallRollupStore } from './wall-rollup-store.js';
import { investigationStore } from './investigation-store.js';
import { reportStore } from './report-store.js';
import { counterStore, leaseStore } from './lease-store.js';
import { MIGRATIONS } from './schema.js';
import { caseQueueStore } from './case-queue-store.js';
import { noticeStore } from './notice-store.js';
import { savedViewStore } from './saved-view-store.js';
import { sessionStore } from './session-store.js';
import { userStore } from './user-store.js';
import { alertStore, customerStore, webhookDeliveryStore } from './crm-stores.js';
import { auditStore, cannedResponseStore, caseStore, correctionStore, replyStore, settingsStore, timelineStore } from './workflow-stores.js';

type Db = Database.Database;

/** Opens (creating if needed) the SQLite store at `file`, or in memory for ':memory:'. */
export function openSqliteStore(opts: { file: string; search?: Partial<SearchBounds> }): Store {
  if (opts.file !== ':memory:') fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  const db = new Database(opts.file);
  // First, so that switching to WAL and migrating wait for another process opening the same file.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL is durable across process crashes; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  // Freed space is zeroed, so erased or purged text does not linger in free pages of the file.
  db.pragma('secure_delete = ON');
  migrate(db);

  const prepare = statementCache(db);

  return {
    kind: 'sqlite',
    mentions: mentionStore(db, prepare, { ...DEFAULT_SEARCH_BOUNDS, ...opts.search }),
    rollups: rollupStore(prepare),
    wallRollups: wallRollupStore(prepare),
    investigations: investigationStore(db, prepare),
    users: userStore(prepare),
    sessions: sessionStore(prepare),
    cases: caseStore(db, prepare),
    timeline: timelineStore(prepare),
    replies: replyStore(prepare),
    cannedResponses: cannedResponseStore(prepare),
    audit: auditStore(prepare),
    settings: settingsStore(prepare),
    webhookDeliveries: webhookDeliveryStore(prepare),
    customers: customerStore(db, prepare),
    corrections: correctionStore(prepare),
    alerts: alertStore(prepare),
    reports: reportStore(db, prepare),
    async scrub() {
      // 'optimize' merges every text-index segment into one, dropping deleted terms the old segments still held.
      db.prepare("INSERT INTO mentions_fts (mentions_fts) VALUES ('optimize')").run();
      db.pragma('wal_checkpoint(TRUNCATE)');
      },
    leases: leaseStore(prepare),
    counters: counterStore(prepare),
    caseQueue: caseQueueStore(prepare),
    notices: noticeStore(prepare),
    savedViews: savedViewStore(prepare),
    async ping() {
      // A real query through the same connection (health); throws if the file is gone or unreadable.
      prepare('SELECT count(*) AS n FROM sqlite_master').get();
    },
    async close() {
      db.close();
    },
  };
}

/**
 * Each step re-reads the version inside an IMMEDIATE transaction: processes of
 * one deployment (api, worker, connectors) start together, and only one of
 * them may apply a step; the others wait for the lock and find it done.
 */
function migrate(db: Db) {
  const step = db.transaction(() => {
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v >= MIGRATIONS.length) return false;
    db.exec(MIGRATIONS[v]!);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one step applied; look again
  }
}

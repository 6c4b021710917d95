import Database from 'better-sqlite3';
import fs from 'node:fs';
import type { Case, TimelineEvent } from '../../../shared/case.js';
import type { AuditEvent } from '../../../shared/audit.js';
import type { Customer } from '../../../shared/customer.js';
import type { Mention } from '../../../shared/mention.js';
import type { CannedResponse, Reply } from '../../../shared/reply.js';
import { rowKey, type Grain } from '../../../shared/reports.js';
import type { Alert } from '../../../shared/spikes.js';
import type { Correction } from '../../../shared/store.js';
import type { WebhookDelivery } from '../../../shared/webhook.js';
import { ALERT_FIELDS, CUSTOMER_FIELDS, DELIVERY_FIELDS } from './crm-stores.js';
import type { BulkOp, Doc } from './db.js';
import { type Fields, versionedDoc } from './doc-collection.js';
import { isDuplicateKey } from './errors.js';
import { mentionDoc } from './mention-store.js';
import type { CollectionName } from './models.js';
import type { MongoStore } from './mongo-store.js';
import { counterId } from './lease-store.js';
import { legacySessionId } from './user-stores.js';
import { auditDoc, CASE_COUNTER, CASE_FIELDS, CASE_NUMBER_BASE, correctionDoc, REPLY_FIELDS, timelineDoc } from './workflow-stores.js';

type Row = Record<string, unknown>;

interface TableSpec {
  table: string;
  collection: CollectionName;
  /** The columns of the primary key, in order: the copy walks the table by them, so it can resume after the last one copied. */
  key: string[];
  toDoc(row: Row): Doc;
  /** The id sequence the adapter allocates from, raised past the copied ids. */
  sequence?: string;
  /** How a document is written; by default inserted only if absent ($setOnInsert), so a re-run changes nothing. */
  write?(doc: Doc): BulkOp;
}

const json = <T>(s: unknown) => JSON.parse(s as string) as T;
const versioned = <T extends { id: string; version: number }>(fields: Fields<T>) => (r: Row) =>
  versionedDoc(fields, { ...json<Omit<T, 'id' | 'version'>>(r.doc), id: String(r.id), version: r.version as number } as T);
const appendOnly = <T extends { id: string }>(shape: (record: T) => Doc) => (r: Row) => shape({ ...json<Omit<T, 'id'>>(r.doc), id: String(r.id) } as T);

const TABLES: TableSpec[] = [
  {
    table: 'users',
    collection: 'users',
    key: ['id'],
    sequence: 'users',
    toDoc: (r): Doc => ({
      _id: r.id,
      email: String(r.email).toLowerCase(),
      name: r.name,
      role: r.role,
      passwordHash: r.password_hash,
      createdAt: r.created_at,
      settings: json(r.settings ?? '{}'),
      disabled: r.disabled === 1,
    }),
  },
  {
    table: 'sessions',
    collection: 'sessions',
    key: ['token_hash'],
    toDoc: (r) => ({
      _id: r.token_hash,
      userId: String(r.user_id),
      expiresAt: r.expires_at,
      id: r.id ?? legacySessionId(String(r.token_hash)),
      ...(r.created_at != null ? { createdAt: r.created_at } : {}),
      ...(r.last_seen != null ? { lastSeen: r.last_seen } : {}),
      ip: r.ip ?? null,
      userAgent: r.user_agent ?? null,
    }),
  },
  {
    table: 'mentions',
    collection: 'mentions',
    key: ['id'],
    sequence: 'mentions',
    toDoc: (r) => {
      const doc = json<Omit<Mention, 'id' | 'version'>>(r.doc);
      return mentionDoc({ ...doc, id: String(r.id), version: r.version as number, triage: { ...doc.triage, status: r.status as Mention['triage']['status'] } }) as unknown as Doc;
    },
  },
  { table: 'cases', collection: 'cases', key: ['id'], sequence: 'cases', toDoc: versioned<Case>(CASE_FIELDS) },
  { table: 'timeline', collection: 'timeline', key: ['id'], sequence: 'timeline', toDoc: appendOnly<TimelineEvent>(timelineDoc) },
  { table: 'replies', collection: 'replies', key: ['id'], sequence: 'replies', toDoc: versioned<Reply>(REPLY_FIELDS) },
  { table: 'canned_responses', collection: 'canned_responses', key: ['id'], sequence: 'canned_responses', toDoc: versioned<CannedResponse>(() => ({})) },
  { table: 'audit', collection: 'audit', key: ['id'], sequence: 'audit', toDoc: appendOnly<AuditEvent>(auditDoc) },
  { table: 'settings', collection: 'settings', key: ['key'], toDoc: (r) => ({ _id: r.key, version: r.version, value: r.value }) },
  { table: 'webhook_deliveries', collection: 'webhook_deliveries', key: ['id'], sequence: 'webhook_deliveries', toDoc: versioned<WebhookDelivery>(DELIVERY_FIELDS) },
  { table: 'customers', collection: 'customers', key: ['id'], sequence: 'customers', toDoc: versioned<Customer>(CUSTOMER_FIELDS) },
  {
    table: 'customer_identities',
    collection: 'customer_identities',
    key: ['platform', 'handle_lower'],
    toDoc: (r) => ({ _id: `${String(r.platform)}:${String(r.handle_lower)}`, platform: r.platform, handle: r.handle_lower, customerId: r.customer_id }),
  },
  {
    table: 'notices',
    collection: 'notices',
    key: ['id'],
    sequence: 'notices',
    toDoc: (r) => ({ _id: Number(r.id), userId: r.user_id, dedupeKey: r.dedupe_key, readAt: r.read_at ?? null, doc: json<Record<string, unknown>>(r.doc) }),
  },
  {
    table: 'saved_views',
    collection: 'saved_views',
    key: ['id'],
    sequence: 'saved_views',
    toDoc: (r) => ({ _id: Number(r.id), userId: r.user_id, name: r.name, createdAt: r.created_at, filters: json<Record<string, unknown>>(r.filters) }),
  },
  { table: 'corrections', collection: 'corrections', key: ['id'], sequence: 'corrections', toDoc: appendOnly<Correction>(correctionDoc) },
  {
    table: 'alerts',
    collection: 'alerts',
    key: ['id'],
    sequence: 'alerts',
    // The key only when set: the unique index is sparse, and an explicit null would count as a value.
    toDoc: (r) => ({ ...versioned<Alert>(ALERT_FIELDS)(r), ...(r.dedupe_key != null ? { dedupeKey: r.dedupe_key } : {}) }),
  },
  {
    // Case numbers (and any other named counter) continue after the copied value, never below what MongoDB already reached.
    table: 'counters',
    collection: 'counters',
    key: ['name'],
    toDoc: (r) => ({ _id: counterId(String(r.name)), n: r.value }),
    write: ({ _id, n }) => ({ updateOne: { filter: { _id }, update: { $max: { n } }, upsert: true } }),
  },
  // leases are not copied: they are transient, and the processes of the new install take them afresh.
  {
    table: 'rollups',
    collection: 'rollups',
    key: ['minute'],
    toDoc: (r) => ({ _id: r.minute, minute: r.minute, negative: r.negative, neutral: r.neutral, positive: r.positive, scoreSum: r.score_sum, applied: [] }),
  },
  {
    table: 'brand_minutes',
    collection: 'brand_minutes',
    key: ['brand', 'minute'],
    toDoc: (r) => ({ _id: `${String(r.minute)}:${String(r.brand)}`, minute: r.minute, brand: r.brand, negative: r.negative, total: r.total, applied: [] }),
  },
  {
    table: 'wall_buckets',
    collection: 'wall_buckets',
    key: ['span', 'start', 'brand', 'platform', 'lang'],
    toDoc: (r) => ({ _id: `${String(r.span)}:${String(r.start)}:${String(r.brand)}\u0000${String(r.platform)}\u0000${String(r.lang)}`, span: r.span, start: r.start, brand: r.brand, platform: r.platform, lang: r.lang, negative: r.negative, neutral: r.neutral, positive: r.positive, scoreSum: r.score_sum, applied: [] }),
  },
  {
    table: 'report_rollups',
    collection: 'report_rollups',
    key: ['grain', 'dim', 'brand', 'network', 'period', 'value', 'metric'],
    toDoc: (r) => {
      const f = { grain: r.grain as Grain, dim: String(r.dim), brand: String(r.brand), network: String(r.network), period: Number(r.period), value: String(r.value), metric: String(r.metric) };
      // A histogram is one row with its buckets (JSON) on both sides.
      return { _id: rowKey(f), ...f, n: r.n, sum: r.sum, ...(r.hist ? { hist: json<Record<string, number>>(r.hist) } : {}), applied: [] };
    },
  },
  {
    table: 'feedback_waits',
    collection: 'feedback_waits',
    key: ['key'],
    toDoc: (r) => ({ _id: r.key, t: r.replied_at, doc: json(r.doc) }),
  },
  {
    table: 'feedback_events',
    collection: 'feedback_events',
    key: ['mention_id'],
    toDoc: (r) => ({ _id: r.mention_id, doc: json(r.doc) }),
  },
  {
    table: 'investigation_links',
    collection: 'investigation_links',
    key: ['case_id', 'mention_id'],
    toDoc: (r) => ({ _id: `${String(r.case_id)}:${String(r.mention_id)}`, caseId: r.case_id, mentionId: r.mention_id, t: r.created_at, sentiment: r.sentiment, linkedAt: r.linked_at }),
  },
];

export interface MigrateProgress {
  table: string;
  copied: number;
  total: number;
  skipped: number;
  done: boolean;
}

/**
 * Copies an embedded install (its SQLite file) into MongoDB, keeping every id,
 * so references between records (a case's mentions, a reply's mention, a
 * mention's customer) stay right. Each table is walked in key order in chunks;
 * a record already in MongoDB is left as it is ($setOnInsert), and the position
 * reached is saved after each chunk, so re-running resumes and copies nothing
 * twice. The SQLite file is only read.
 */
export async function migrateSqliteToMongo(opts: {
  file: string;
  store: MongoStore;
  chunk?: number;
  onProgress?: (p: MigrateProgress) => void;
  /** Test hook: runs after each chunk is written (a throw there stops the copy, as a crash would). */
  afterChunk?: (table: string) => void | Promise<void>;
}): Promise<MigrateProgress[]> {
  if (!fs.existsSync(opts.file)) throw new Error(`no SQLite database at ${opts.file}`);
  const sqlite = new Database(opts.file, { readonly: true, fileMustExist: true });
  const chunk = opts.chunk ?? 1000;
  const checkpoints = opts.store.internal.col('migrations');
  const results: MigrateProgress[] = [];
  try {
    const present = new Set((sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    // A file older than the one-row histograms (report_rollups still has a bucket column) must be opened once by the current Hark first: the CLI does.
    if (present.has('report_rollups') && (sqlite.prepare('PRAGMA table_info(report_rollups)').all() as Array<{ name: string }>).some((c) => c.name === 'bucket')) {
      throw new Error(`${opts.file} is from an older Hark: open it once with this version (npm start, or hark migrate, which upgrades it) before copying`);
    }
    for (const spec of TABLES) {
      if (!present.has(spec.table)) continue;
      const total = (sqlite.prepare(`SELECT count(*) AS n FROM ${spec.table}`).get() as { n: number }).n;
      const cpId = `sqlite:${spec.table}`;
      const cp = await checkpoints.findOne({ _id: cpId } as Doc);
      let after = (cp?.after as unknown[] | null | undefined) ?? null;
      let copied = (cp?.copied as number | undefined) ?? 0;
      let skipped = (cp?.skipped as number | undefined) ?? 0;
      const cols = spec.key.join(', ');
      const first = sqlite.prepare(`SELECT * FROM ${spec.table} ORDER BY ${cols} LIMIT ?`);
      const next = sqlite.prepare(`SELECT * FROM ${spec.table} WHERE (${cols}) > (${spec.key.map(() => '?').join(', ')}) ORDER BY ${cols} LIMIT ?`);
      for (;;) {
        const rows = (after ? next.all(...(after as Array<string | number>), chunk) : first.all(chunk)) as Row[];
        if (rows.length === 0) break;
        const ops: BulkOp[] = rows.map((r) => {
          const full = spec.toDoc(r);
          if (spec.write) return spec.write(full);
          const { _id, ...doc } = full;
          return { updateOne: { filter: { _id }, update: { $setOnInsert: doc }, upsert: true } };
        });
        try {
          await opts.store.internal.col(spec.collection).bulkWrite(ops, { ordered: false });
        } catch (e) {
          // A record whose unique key MongoDB already holds under another id (say, a mention fetched again since) is kept as MongoDB has it.
          const errs = (e as { writeErrors?: unknown }).writeErrors;
          const list = Array.isArray(errs) ? errs : errs ? [errs] : [];
          if (!isDuplicateKey(e) || list.length === 0 || !list.every((w) => isDuplicateKey(w) || isDuplicateKey((w as { err?: unknown }).err))) throw e;
          skipped += list.length;
        }
        if (spec.sequence) {
          const maxId = Math.max(...rows.map((r) => Number(r.id)));
          await opts.store.internal.raiseSequence(spec.sequence, maxId);
          // Files from before the counters table have only the cases' numbers to go by.
          if (spec.table === 'cases') await opts.store.internal.raiseSequence(counterId(CASE_COUNTER), Math.max(CASE_NUMBER_BASE, ...rows.map((r) => Number(r.number))));
        }
        const last = rows[rows.length - 1]!;
        after = spec.key.map((k) => last[k]);
        copied = Math.min(total, copied + rows.length);
        await checkpoints.updateOne({ _id: cpId } as Doc, { $set: { after, copied, skipped, done: false } }, { upsert: true });
        opts.onProgress?.({ table: spec.table, copied, total, skipped, done: false });
        await opts.afterChunk?.(spec.table);
      }
      await checkpoints.updateOne({ _id: cpId } as Doc, { $set: { done: true } }, { upsert: true });
      const p = { table: spec.table, copied, total, skipped, done: true };
      opts.onProgress?.(p);
      results.push(p);
    }
    return results;
  } finally {
    sqlite.close();
  }
}

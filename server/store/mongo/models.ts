import mongoose, { Schema, type Connection, type IndexDefinition, type IndexOptions } from 'mongoose';

/**
 * The collections and their indexes, declared as mongoose schemas. The adapter
 * reads and writes through each model's driver collection with plain objects
 * (lean, no documents), so no mongoose document or query type leaves it.
 * Every queue query and the index that serves it: INDEXES.md.
 */
type Index = [IndexDefinition, IndexOptions?];

const DESC = -1 as const;
export const COLLECTIONS: Record<string, Index[]> = {
  counters: [],
  migrations: [],
  mentions: [
    [{ platform: 1, externalId: 1 }, { unique: true, name: 'mention_key' }],
    [{ priority: DESC, t: DESC, _id: DESC }, { name: 'by_priority' }],
    [{ t: DESC, _id: DESC }, { name: 'by_recent' }],
    [{ status: 1, priority: DESC, t: DESC, _id: DESC }, { name: 'status_priority' }],
    [{ status: 1, t: DESC, _id: DESC }, { name: 'status_recent' }],
    [{ assignee: 1, priority: DESC, t: DESC, _id: DESC }, { name: 'assignee_priority' }],
    [{ assignee: 1, t: DESC, _id: DESC }, { name: 'assignee_recent' }],
    [{ tokens: 1, priority: DESC, t: DESC, _id: DESC }, { name: 'words_priority' }],
    [{ tokens: 1, t: DESC, _id: DESC }, { name: 'words_recent' }],
    [{ platform: 1, author: 1, t: DESC, _id: DESC }, { name: 'author_history' }],
    [{ rollup: 1 }, { name: 'rollup_pending', sparse: true }],
  ],
  leases: [],
  rollups: [],
  brand_minutes: [[{ minute: 1, brand: 1 }, { name: 'minute_brand' }]],
  wall_buckets: [[{ span: 1, start: 1 }, { name: 'span_start' }]],
  investigation_links: [[{ caseId: 1, t: DESC, mentionId: DESC }, { name: 'case_recent' }]],
  users: [[{ email: 1 }, { unique: true, name: 'email' }]],
  sessions: [
    [{ expiresAt: 1 }, { name: 'expiry' }],
    [{ id: 1 }, { unique: true, sparse: true, name: 'public_id' }],
    [{ userId: 1, expiresAt: 1 }, { name: 'user' }],
  ],
  cases: [
    [{ number: 1 }, { unique: true, name: 'number' }],
    [{ status: 1, _id: DESC }, { name: 'status' }],
    [{ assignee: 1, _id: DESC }, { name: 'assignee' }],
    [{ customerId: 1, _id: DESC }, { name: 'customer' }],
    [{ 'doc.mentionIds': 1 }, { name: 'mentions' }],
    // The case queue (case-queue-store.ts): a team's cases by the clock that runs out next.
    [{ 'doc.team': 1, status: 1, 'doc.sla.nextDueAt': 1 }, { name: 'team_queue' }],
    [{ status: 1, 'doc.sla.nextDueAt': 1 }, { name: 'status_queue' }],
  ],
  notices: [
    [{ dedupeKey: 1 }, { unique: true, name: 'dedupe_key' }],
    [{ userId: 1, _id: DESC }, { name: 'user' }],
    [{ userId: 1, readAt: 1, _id: DESC }, { name: 'user_unread' }],
  ],
  saved_views: [[{ userId: 1, name: 1 }, { unique: true, name: 'user_name' }]],
  timeline: [[{ entityType: 1, entityId: 1, _id: 1 }, { name: 'entity' }]],
  replies: [
    [{ idempotencyKey: 1 }, { unique: true, name: 'idempotency_key' }],
    [{ mentionId: 1, _id: 1 }, { name: 'mention' }],
    [{ state: 1, _id: 1 }, { name: 'state' }],
  ],
  canned_responses: [],
  audit: [
    [{ actorId: 1, _id: DESC }, { name: 'actor' }],
    [{ entityType: 1, entityId: 1, _id: DESC }, { name: 'entity' }],
    [{ at: DESC }, { name: 'at' }],
  ],
  settings: [],
  webhook_deliveries: [
    [{ webhookId: 1, eventId: 1 }, { unique: true, name: 'webhook_event' }],
    [{ state: 1, nextAttemptAt: 1, _id: 1 }, { name: 'due' }],
    [{ webhookId: 1, _id: DESC }, { name: 'by_webhook' }],
    [{ 'doc.payload.case.id': 1 }, { name: 'about_case' }],
  ],
  customers: [
    [{ nameLower: 1 }, { name: 'name' }],
    [{ mergedInto: 1 }, { name: 'merged_into' }],
  ],
  customer_identities: [
    [{ handle: 1 }, { name: 'handle' }],
    [{ customerId: 1 }, { name: 'customer' }],
  ],
  corrections: [
    [{ brand: 1, kind: 1, _id: 1 }, { name: 'brand_kind' }],
    [{ 'doc.mentionId': 1 }, { name: 'mention' }],
  ],
  // reports: one document per rollup row (_id its key); every read is one slice's period range
  report_rollups: [[{ grain: 1, dim: 1, brand: 1, network: 1, period: 1 }, { name: 'slice_period' }]],
  feedback_waits: [],
  // feedback events counted on a mention (_id its id), revised when that mention is corrected
  feedback_events: [],
  alerts: [
    [{ brand: 1, raisedAt: DESC, _id: DESC }, { name: 'brand' }],
    [{ raisedAt: DESC, _id: DESC }, { name: 'raised' }],
    // Sparse: alerts made with plain `create` have no key.
    [{ dedupeKey: 1 }, { unique: true, sparse: true, name: 'dedupe_key' }],
  ],
};

export type CollectionName = keyof typeof COLLECTIONS;

/** One model per collection on this connection; `strict: false` because the schema declares indexes, not every field. */
export function defineModels(conn: Connection) {
  const models = new Map<string, mongoose.Model<Record<string, unknown>>>();
  for (const [name, indexes] of Object.entries(COLLECTIONS)) {
    const schema = new Schema<Record<string, unknown>>({ _id: Schema.Types.Mixed }, { strict: false, versionKey: false, autoIndex: false, autoCreate: false, collection: name });
    for (const [fields, options] of indexes) schema.index(fields, options);
    models.set(name, conn.model(name, schema, name));
  }
  return models;
}

/** Creates what is missing; safe when several processes start together (createIndexes is idempotent). */
export async function ensureIndexes(models: Map<string, mongoose.Model<Record<string, unknown>>>) {
  for (const model of models.values()) {
    // Created up front, not by the first write: concurrent first writes to a missing collection are where
    // the wire test server loses updates (it can create it twice), and one explicit create costs nothing.
    try {
      await model.collection.conn.db!.createCollection(model.collection.collectionName);
    } catch (e) {
      if (!isNamespaceExists(e)) throw e;
    }
    await model.createIndexes();
  }
}

const isNamespaceExists = (e: unknown) => {
  const err = e as { code?: unknown; codeName?: unknown; message?: unknown };
  return err.code === 48 || err.codeName === 'NamespaceExists' || /already exists/i.test(String(err.message));
};

import type { AuditEvent } from '../../../shared/audit.js';
import type { Case, TimelineEvent } from '../../../shared/case.js';
import type { CannedResponse, Reply } from '../../../shared/reply.js';
import type { AuditStore, CannedResponseStore, CaseStore, Correction, CorrectionStore, ReplyStore, SettingsStore, TimelineStore } from '../../../shared/store.js';
import { ConflictError } from '../../../shared/errors.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { docTable } from './doc-table.js';
import type { Param, Prepare } from './prepare.js';
import { nextCount } from './lease-store.js';
import type Database from 'better-sqlite3';

const page = <T extends { id: string }>(rows: T[], limit: number) => {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor([Number(items[items.length - 1]!.id)]) : null };
};

export function caseStore(db: Database.Database, prepare: Prepare): CaseStore {
  const t = docTable<Case>(prepare, 'cases', 'case', [
    { name: 'status', value: (c) => c.status },
    { name: 'assignee', value: (c) => c.assignee },
    { name: 'customer_id', value: (c) => c.customerId },
    { name: 'updated_at', value: (c) => Date.parse(c.updatedAt) },
  ]);
  // The number comes from the store's counter in the same transaction as the insert: another process cannot take it in between, and a failed insert gives it back.
  const createTx = db.transaction((draft: Omit<Case, 'id' | 'number' | 'version'>) => {
    const number = nextCount(prepare, 'case', 1000);
    return t.insert({ ...draft, number: `HK-${number}` }, { number });
  });
  return {
    async create({ draft }) {
      return createTx.immediate(draft);
    },
    async get({ id }) {
      return t.get(id);
    },
    async replace({ kase, expectedVersion }) {
      return t.replace(kase, expectedVersion);
    },
    async list({ status, assignee, customerId, limit, cursor }) {
      const where: string[] = [];
      const params: Param[] = [];
      if (status?.length) {
        where.push(`status IN (${status.map(() => '?').join(', ')})`);
        params.push(...status);
      }
      const cond = (sql: string, v: Param) => {
        where.push(sql);
        params.push(v);
      };
      if (assignee) cond('assignee = ?', assignee);
      if (customerId) cond('customer_id = ?', customerId);
      if (cursor) cond('id < ?', decodeCursor(cursor, ['number'])[0]!);
      return page(t.query(where.join(' AND '), params, `ORDER BY id DESC LIMIT ${limit + 1}`), limit);
    },
    async findByMention({ mentionId }) {
      // A scan of the cases' JSON: escalations are rare next to reads, and cases are few next to mentions.
      return t.query("EXISTS (SELECT 1 FROM json_each(doc, '$.mentionIds') WHERE value = ?)", [mentionId], 'ORDER BY id LIMIT 50');
    },
  };
}

export function timelineStore(prepare: Prepare): TimelineStore {
  return {
    async append({ event }) {
      const info = prepare('INSERT INTO timeline (entity_type, entity_id, doc) VALUES (?, ?, ?)').run(event.entityType, event.entityId, JSON.stringify(event));
      return { ...event, id: String(info.lastInsertRowid) };
    },
    async list({ entityType, entityId }) {
      const rows = prepare('SELECT id, doc FROM timeline WHERE entity_type = ? AND entity_id = ? ORDER BY id').all(entityType, entityId) as Array<{ id: number; doc: string }>;
      return rows.map((r) => ({ ...(JSON.parse(r.doc) as Omit<TimelineEvent, 'id'>), id: String(r.id) }));
    },
    async redactText({ entityType, entityId }) {
      return prepare(
        `UPDATE timeline SET doc = json_set(doc, '$.data.text', '', '$.data.erased', json('true'))
         WHERE entity_type = ? AND entity_id = ? AND json_extract(doc, '$.data.text') IS NOT NULL AND json_extract(doc, '$.data.text') != ''`,
      ).run(entityType, entityId).changes;
    },
  };
}

export function replyStore(prepare: Prepare): ReplyStore {
  const t = docTable<Reply>(prepare, 'replies', 'reply with this idempotency key', [
    { name: 'idempotency_key', value: (r) => r.idempotencyKey },
    { name: 'mention_id', value: (r) => r.mentionId },
    { name: 'state', value: (r) => r.state },
    { name: 'lease_until', value: (r) => (r.leaseUntil ? Date.parse(r.leaseUntil) : null) },
  ]);
  // Replies written before the outbox have no lease fields.
  const withLease = (r: Reply | null): Reply | null => (r ? Object.assign({ claimedBy: null, leaseUntil: null, attemptStartedAt: null, onUnverifiable: 'fail' }, r) : null);
  const cap = (limit: number) => Math.max(1, Math.min(1000, Math.floor(limit)));
  return {
    async create({ reply }) {
      return t.insert(reply);
    },
    async get({ id }) {
      return withLease(t.get(id));
    },
    async findByKey({ idempotencyKey }) {
      return withLease(t.query('idempotency_key = ?', [idempotencyKey], 'LIMIT 1')[0] ?? null);
    },
    async replace({ reply, expectedVersion }) {
      return t.replace(reply, expectedVersion);
    },
    async listForMention({ mentionId }) {
      return t.query('mention_id = ?', [mentionId], 'ORDER BY id').map((r) => withLease(r)!);
    },
    async listByState({ state, limit }) {
      return t.query('state = ?', [state], `ORDER BY id LIMIT ${cap(limit)}`).map((r) => withLease(r)!);
    },
    async listDue({ now, limit }) {
      return t.query("state = 'queued' AND (lease_until IS NULL OR lease_until <= ?)", [Date.parse(now)], `ORDER BY id LIMIT ${cap(limit)}`).map((r) => withLease(r)!);
    },
  };
}

export function cannedResponseStore(prepare: Prepare): CannedResponseStore {
  const t = docTable<CannedResponse>(prepare, 'canned_responses', 'saved reply');
  return {
    async list() {
      return t.query('', [], 'ORDER BY id');
    },
    async get({ id }) {
      return t.get(id);
    },
    async create({ draft }) {
      return t.insert(draft);
    },
    async replace({ item, expectedVersion }) {
      return t.replace(item, expectedVersion);
    },
    async delete({ id }) {
      return t.delete(id);
    },
  };
}

export function auditStore(prepare: Prepare): AuditStore {
  return {
    async append({ event }) {
      const info = prepare('INSERT INTO audit (at, actor_id, entity_type, entity_id, doc) VALUES (?, ?, ?, ?, ?)').run(
        Date.parse(event.at),
        event.actorId,
        event.entityType,
        event.entityId,
        JSON.stringify(event),
      );
      return { ...event, id: String(info.lastInsertRowid) };
    },
    async list({ actorId, entityType, entityId, since, until, limit, cursor }) {
      const where: string[] = [];
      const params: Param[] = [];
      const cond = (sql: string, v: Param) => {
        where.push(sql);
        params.push(v);
      };
      if (actorId) cond('actor_id = ?', actorId);
      if (entityType) cond('entity_type = ?', entityType);
      if (entityId) cond('entity_id = ?', entityId);
      if (since) cond('at >= ?', Date.parse(since));
      if (until) cond('at < ?', Date.parse(until));
      if (cursor) cond('id < ?', decodeCursor(cursor, ['number'])[0]!);
      const rows = prepare(`SELECT id, doc FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`).all(...params, limit + 1) as Array<{ id: number; doc: string }>;
      return page(
        rows.map((r) => ({ ...(JSON.parse(r.doc) as Omit<AuditEvent, 'id'>), id: String(r.id) })),
        limit,
      );
    },
    async redactIds({ ids }) {
      const numeric = ids.filter((id) => /^\d{1,18}$/.test(id)).map(Number);
      let n = 0;
      for (let i = 0; i < numeric.length; i += 400) {
        const chunk = numeric.slice(i, i + 400);
        n += prepare(
          `UPDATE audit SET doc = json_set(doc, '$.before', json('null'), '$.after', json('null'), '$.redacted', json('true'))
           WHERE id IN (${chunk.map(() => '?').join(', ')}) AND json_extract(doc, '$.redacted') IS NOT 1`,
        ).run(...chunk).changes;
      }
      return n;
    },
    async redactEntity({ entityType, entityId }) {
      return prepare(
        `UPDATE audit SET doc = json_set(doc, '$.before', json('null'), '$.after', json('null'), '$.redacted', json('true'))
         WHERE entity_type = ? AND entity_id = ? AND json_extract(doc, '$.redacted') IS NOT 1`,
      ).run(entityType, entityId).changes;
    },
  };
}

export function settingsStore(prepare: Prepare): SettingsStore {
  return {
    async get<T>({ key }: { key: string }) {
      const r = prepare('SELECT version, value FROM settings WHERE key = ?').get(key) as { version: number; value: string } | undefined;
      return r ? { value: JSON.parse(r.value) as T, version: r.version } : null;
    },
    async keys({ prefix }) {
      const rows = prepare("SELECT key FROM settings WHERE key >= ? AND key < ? ORDER BY key").all(prefix, `${prefix}\uffff`) as Array<{ key: string }>;
      return rows.map((r) => r.key);
    },
    async set<T>({ key, value, expectedVersion }: { key: string; value: T; expectedVersion: number }) {
      const json = JSON.stringify(value);
      const info =
        expectedVersion === 0
          ? prepare('INSERT INTO settings (key, version, value) VALUES (?, 1, ?) ON CONFLICT (key) DO NOTHING').run(key, json)
          : prepare('UPDATE settings SET version = version + 1, value = ? WHERE key = ? AND version = ?').run(json, key, expectedVersion);
      if (info.changes === 0) throw new ConflictError(`Setting ${key} changed since version ${expectedVersion}`);
      return { value, version: expectedVersion + 1 };
    },
  };
}

export function correctionStore(prepare: Prepare): CorrectionStore {
  return {
    async add({ correction }) {
      const info = prepare('INSERT INTO corrections (brand, kind, doc) VALUES (?, ?, ?)').run(correction.brand, correction.kind, JSON.stringify(correction));
      return { ...correction, id: String(info.lastInsertRowid) };
    },
    async list({ brand, kind, afterId, limit }) {
      const where: string[] = ['id > ?'];
      const params: Param[] = [Number(afterId ?? 0)];
      if (brand !== undefined) {
        where.push(brand === null ? 'brand IS NULL' : 'brand = ?');
        if (brand !== null) params.push(brand);
      }
      if (kind) {
        where.push('kind = ?');
        params.push(kind);
      }
      const rows = prepare(`SELECT id, doc FROM corrections WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...params, Math.max(1, Math.min(100_000, limit))) as Array<{ id: number; doc: string }>;
      return rows.map((r) => ({ ...(JSON.parse(r.doc) as Omit<Correction, 'id'>), id: String(r.id) }));
    },
    async redactMentions({ mentionIds }) {
      let n = 0;
      for (let i = 0; i < mentionIds.length; i += 400) {
        const chunk = mentionIds.slice(i, i + 400);
        n += prepare(`UPDATE corrections SET doc = json_set(doc, '$.text', '') WHERE json_extract(doc, '$.mentionId') IN (${chunk.map(() => '?').join(', ')}) AND json_extract(doc, '$.text') != ''`).run(...chunk).changes;
      }
      return n;
    },
  };
}

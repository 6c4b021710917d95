import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../../shared/errors.js';
import type { Mention, NewMention } from '../../../shared/mention.js';
import { mentionKey } from '../../../shared/mention.js';
import type { MentionPage, MentionQuery } from '../../../shared/mention-query.js';
import type { Role, User } from '../../../shared/auth.js';
import type {
  InsertMentionsResult,
  MentionKey,
  MentionStore,
  NewUser,
  RollupBucket,
  RollupStore,
  Session,
  SessionStore,
  Store,
  StoredUser,
  UserStore,
} from '../../../shared/store.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { translateSqliteError } from './errors.js';
import { MIGRATIONS } from './schema.js';

type Db = Database.Database;
type Param = string | number | null;

interface MentionRow {
  id: number;
  status: string;
  version: number;
  doc: string;
}

/** Opens (creating if needed) the SQLite store at `file`, or in memory for ':memory:'. */
export function openSqliteStore(opts: { file: string }): Store {
  if (opts.file !== ':memory:') fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  const db = new Database(opts.file);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL is durable across process crashes; only an OS crash can lose the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -65536');
  migrate(db);

  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };

  return {
    kind: 'sqlite',
    mentions: mentionStore(db, prepare),
    rollups: rollupStore(prepare),
    users: userStore(prepare),
    sessions: sessionStore(prepare),
    async close() {
      db.close();
    },
  };
}

function migrate(db: Db) {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const toMention = (row: MentionRow): Mention => {
  const doc = JSON.parse(row.doc) as Omit<Mention, 'id' | 'version'>;
  return { ...doc, id: String(row.id), version: row.version, triage: { ...doc.triage, status: row.status as Mention['triage']['status'] } };
};

const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000) * 60_000;

function mentionStore(db: Db, prepare: (sql: string) => Database.Statement): MentionStore {
  const insert = db.prepare(
    `INSERT INTO mentions (platform, external_id, created_at, status, sentiment, priority, version, text, doc)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (platform, external_id) DO NOTHING`,
  );
  const bumpRollup = db.prepare(
    `INSERT INTO rollups (minute, negative, neutral, positive, score_sum) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (minute) DO UPDATE SET negative = negative + excluded.negative, neutral = neutral + excluded.neutral,
       positive = positive + excluded.positive, score_sum = score_sum + excluded.score_sum`,
  );

  const insertTx = db.transaction((mentions: NewMention[]): InsertMentionsResult => {
    const inserted: Mention[] = [];
    const buckets = new Map<number, { negative: number; neutral: number; positive: number; scoreSum: number }>();
    for (const m of mentions) {
      const full = { ...m, caseId: null, customerId: null };
      const info = insert.run(
        m.platform,
        m.externalId,
        Date.parse(m.createdAt),
        m.triage.status,
        m.scores.sentiment.label,
        m.scores.priority.score,
        m.text,
        JSON.stringify(full),
      );
      if (info.changes === 0) continue;
      inserted.push({ ...full, id: String(info.lastInsertRowid), version: 1 });
      const minute = minuteOf(m.createdAt);
      let b = buckets.get(minute);
      if (!b) buckets.set(minute, (b = { negative: 0, neutral: 0, positive: 0, scoreSum: 0 }));
      b[m.scores.sentiment.label]++;
      b.scoreSum += m.scores.sentiment.score;
    }
    for (const [minute, b] of buckets) bumpRollup.run(minute, b.negative, b.neutral, b.positive, b.scoreSum);
    return { inserted, duplicates: mentions.length - inserted.length };
  });

  return {
    async insertMany({ mentions }) {
      if (mentions.length === 0) return { inserted: [], duplicates: 0 };
      try {
        return insertTx(mentions);
      } catch (e) {
        throw translateSqliteError(e, 'mention');
      }
    },

    async existingKeys({ keys }: { keys: MentionKey[] }) {
      const found = new Set<string>();
      // Chunked to stay under SQLite's bound-parameter limit.
      for (let i = 0; i < keys.length; i += 400) {
        const chunk = keys.slice(i, i + 400);
        const sql = `SELECT platform, external_id FROM mentions WHERE (platform, external_id) IN (VALUES ${chunk.map(() => '(?, ?)').join(', ')})`;
        const rows = prepare(sql).all(...chunk.flatMap((k) => [k.platform, k.externalId])) as Array<{ platform: string; external_id: string }>;
        for (const r of rows) found.add(mentionKey({ platform: r.platform, externalId: r.external_id }));
      }
      return found;
    },

    async get({ id }) {
      if (!/^\d{1,18}$/.test(id)) return null;
      const row = prepare('SELECT id, status, version, doc FROM mentions WHERE id = ?').get(Number(id)) as MentionRow | undefined;
      return row ? toMention(row) : null;
    },

    async list(q: MentionQuery): Promise<MentionPage> {
      const where: string[] = [];
      const params: Param[] = [];
      const inList = (col: string, values: readonly string[] | undefined) => {
        if (!values) return;
        where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values);
      };
      inList('status', q.status);
      inList('platform', q.platform);
      inList('sentiment', q.sentiment);
      const cond = (sql: string, value: Param) => {
        where.push(sql);
        params.push(value);
      };
      if (q.priorityMin !== undefined) cond('priority >= ?', q.priorityMin);
      if (q.priorityMax !== undefined) cond('priority <= ?', q.priorityMax);
      if (q.since) cond('created_at >= ?', Date.parse(q.since));
      if (q.until) cond('created_at < ?', Date.parse(q.until));
      if (q.q) {
        where.push('id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)');
        params.push(ftsQuery(q.q));
      }
      if (q.cursor) {
        if (q.sort === 'priority') {
          const [p, t, id] = decodeCursor(q.cursor, ['number', 'number', 'number']) as number[];
          where.push('(priority, created_at, id) < (?, ?, ?)');
          params.push(p!, t!, id!);
        } else {
          const [t, id] = decodeCursor(q.cursor, ['number', 'number']) as number[];
          where.push('(created_at, id) < (?, ?)');
          params.push(t!, id!);
        }
      }
      const order = q.sort === 'priority' ? 'priority DESC, created_at DESC, id DESC' : 'created_at DESC, id DESC';
      const sql = `SELECT id, status, version, doc, priority, created_at FROM mentions
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
      params.push(q.limit + 1);
      const rows = prepare(sql).all(...params) as Array<MentionRow & { priority: number; created_at: number }>;
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page[page.length - 1];
      const nextCursor =
        more && last
          ? encodeCursor(q.sort === 'priority' ? [last.priority, last.created_at, last.id] : [last.created_at, last.id])
          : null;
      return { items: page.map(toMention), nextCursor };
    },

    async count() {
      return (prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n;
    },
  };
}

/** Turns free text into an FTS5 query of quoted terms (all must match), so user input is never FTS syntax. */
function ftsQuery(q: string): string {
  const terms = q.match(/[\p{L}\p{N}_]+/gu);
  if (!terms) throw new ValidationError('q must contain at least one letter or digit', { field: 'q' });
  return terms.slice(0, 16).map((t) => `"${t}"`).join(' ');
}

function rollupStore(prepare: (sql: string) => Database.Statement): RollupStore {
  return {
    async series({ from, to }) {
      const rows = prepare(
        'SELECT minute, negative, neutral, positive, score_sum FROM rollups WHERE minute >= ? AND minute < ? ORDER BY minute',
      ).all(minuteOf(from), Date.parse(to)) as Array<{ minute: number; negative: number; neutral: number; positive: number; score_sum: number }>;
      return rows.map(
        (r): RollupBucket => ({
          minute: new Date(r.minute).toISOString(),
          negative: r.negative,
          neutral: r.neutral,
          positive: r.positive,
          scoreSum: r.score_sum,
        }),
      );
    },
  };
}

interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
}
const toUser = (r: UserRow): User => ({ id: String(r.id), email: r.email, name: r.name, role: r.role, createdAt: new Date(r.created_at).toISOString() });

function userStore(prepare: (sql: string) => Database.Statement): UserStore {
  return {
    async create(u: NewUser) {
      try {
        const now = Date.now();
        const info = prepare('INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(
          u.email.toLowerCase(),
          u.name,
          u.role,
          u.passwordHash,
          now,
        );
        return { id: String(info.lastInsertRowid), email: u.email.toLowerCase(), name: u.name, role: u.role, createdAt: new Date(now).toISOString() };
      } catch (e) {
        throw translateSqliteError(e, `user ${u.email}`);
      }
    },
    async findByEmail({ email }): Promise<StoredUser | null> {
      const r = prepare('SELECT * FROM users WHERE email = ?').get(email.toLowerCase()) as UserRow | undefined;
      return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
    },
    async findById({ id }) {
      if (!/^\d{1,18}$/.test(id)) return null;
      const r = prepare('SELECT * FROM users WHERE id = ?').get(Number(id)) as UserRow | undefined;
      return r ? toUser(r) : null;
    },
    async count() {
      return (prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    },
  };
}

function sessionStore(prepare: (sql: string) => Database.Statement): SessionStore {
  return {
    async create(s: Session) {
      try {
        prepare('INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(s.tokenHash, Number(s.userId), Date.parse(s.expiresAt));
      } catch (e) {
        throw translateSqliteError(e, 'session');
      }
    },
    async find({ tokenHash, now }) {
      const r = prepare('SELECT token_hash, user_id, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?').get(tokenHash, Date.parse(now)) as
        | { token_hash: string; user_id: number; expires_at: number }
        | undefined;
      return r ? { tokenHash: r.token_hash, userId: String(r.user_id), expiresAt: new Date(r.expires_at).toISOString() } : null;
    },
    async delete({ tokenHash }) {
      prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    },
    async deleteExpired({ now }) {
      return prepare('DELETE FROM sessions WHERE expires_at <= ?').run(Date.parse(now)).changes;
    },
  };
}

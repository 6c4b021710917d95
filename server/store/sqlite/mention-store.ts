import type Database from 'better-sqlite3';
import { ConflictError, NotFoundError } from '../../../shared/errors.js';
import type { Mention, NewMention } from '../../../shared/mention.js';
import { mentionKey } from '../../../shared/mention.js';
import { DEFAULT_SEARCH_BOUNDS, type MentionPage, type MentionQuery, type SearchBounds } from '../../../shared/mention-query.js';
import type { InsertMentionsResult, MentionKey, MentionStore } from '../../../shared/store.js';
import { ERASED_AUTHOR, redactedMention, type RedactionReason } from '../../../shared/privacy.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { wallRollupWriter } from './wall-rollup-store.js';
import { translateSqliteError } from './errors.js';
import { ftsQuery, mentionSearch } from './mention-search.js';
import { minuteOf, type Param, type Prepare } from './prepare.js';
import { mentionIncrements } from '../report-increments.js';
import { reportWriter } from './report-store.js';

interface SortRow {
  id: number;
  priority: number;
  created_at: number;
}

interface MentionRow {
  id: number;
  status: string;
  version: number;
  doc: string;
}

const toMention = (row: MentionRow): Mention => {
  const doc = JSON.parse(row.doc) as Omit<Mention, 'id' | 'version'>;
  return { ...doc, id: String(row.id), version: row.version, triage: { ...doc.triage, status: row.status as Mention['triage']['status'] } };
};

export function mentionStore(db: Database.Database, prepare: Prepare, bounds: SearchBounds = DEFAULT_SEARCH_BOUNDS): MentionStore {
  const search = mentionSearch(db, bounds);
  const insert = db.prepare(
    `INSERT INTO mentions (platform, external_id, created_at, status, sentiment, priority, version, text, doc, assignee, author_handle)
     VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) ON CONFLICT (platform, external_id) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE mentions SET status = ?, sentiment = ?, priority = ?, assignee = ?, version = version + 1, doc = ?
     WHERE id = ? AND version = ?`,
  );
  const bumpRollup = db.prepare(
    `INSERT INTO rollups (minute, negative, neutral, positive, score_sum) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (minute) DO UPDATE SET negative = negative + excluded.negative, neutral = neutral + excluded.neutral,
       positive = positive + excluded.positive, score_sum = score_sum + excluded.score_sum`,
  );

  // Batched text indexing: rows are indexed 5,000 at a time after inserts, and
  // everything pending is indexed before a text search runs, so search is never stale.
  const FTS_BATCH = 5000;
  const ftsInsert = db.prepare('INSERT INTO mentions_fts (rowid, text) SELECT id, text FROM mentions WHERE id > ? ORDER BY id LIMIT ?');
  const ftsLast = db.prepare('SELECT last_id FROM fts_state WHERE id = 1');
  const ftsSet = db.prepare('UPDATE fts_state SET last_id = (SELECT coalesce(max(id), 0) FROM (SELECT id FROM mentions WHERE id > ? ORDER BY id LIMIT ?)) WHERE id = 1');
  let indexedUpTo = (ftsLast.get() as { last_id: number }).last_id;
  let maxId = 0;
  // Reads the position inside the transaction: another process (an import) may share the file.
  // Every write transaction here is run IMMEDIATE: one that reads first and writes after holds a
  // snapshot that another process's commit makes stale, and WAL then refuses the write at once
  // (SQLITE_BUSY, no waiting), where BEGIN IMMEDIATE waits busy_timeout for the lock.
  const indexChunk = db.transaction(() => {
    const from = (ftsLast.get() as { last_id: number }).last_id;
    ftsInsert.run(from, FTS_BATCH);
    ftsSet.run(from, FTS_BATCH);
    return (ftsLast.get() as { last_id: number }).last_id;
  });
  const maxIdStmt = db.prepare('SELECT coalesce(max(id), 0) AS m FROM mentions');
  const indexPending = (all: boolean) => {
    if (all) maxId = (maxIdStmt.get() as { m: number }).m;
    while (indexedUpTo < maxId && (all || maxId - indexedUpTo >= FTS_BATCH)) {
      const next = indexChunk.immediate();
      if (next <= indexedUpTo) break;
      indexedUpTo = next;
    }
  };

  const bumpBrand = db.prepare(
    `INSERT INTO brand_minutes (brand, minute, negative, total) VALUES (?, ?, ?, ?)
     ON CONFLICT (brand, minute) DO UPDATE SET negative = negative + excluded.negative, total = total + excluded.total`,
  );

  // The text index is external-content: a row's old text must be given to remove its terms.
  const ftsDelete = db.prepare("INSERT INTO mentions_fts (mentions_fts, rowid, text) VALUES ('delete', ?, ?)");
  const redactRow = db.prepare("UPDATE mentions SET text = '', author_handle = ?, redacted = 1, version = version + 1, doc = ? WHERE id = ?");
  const redactTx = db.transaction((ids: number[], at: string, reason: RedactionReason): Mention[] => {
    const indexed = (ftsLast.get() as { last_id: number }).last_id;
    const out: Mention[] = [];
    for (const id of ids) {
      const row = prepare('SELECT id, status, version, doc, text, redacted FROM mentions WHERE id = ?').get(id) as (MentionRow & { text: string; redacted: number }) | undefined;
      if (!row || row.redacted) continue;
      if (id <= indexed && row.text) ftsDelete.run(id, row.text);
      const m = toMention(row);
      const next: Mention = { ...redactedMention(m, at, reason), version: m.version + 1 };
      const { id: _id, version: _v, ...doc } = next;
      redactRow.run(ERASED_AUTHOR.handle, JSON.stringify(doc), id);
      out.push(next);
    }
    return out;
  });

  const addToWall = wallRollupWriter(db);
  const writeReports = reportWriter(prepare);
  const insertTx = db.transaction((mentions: NewMention[]): InsertMentionsResult => {
    const inserted: Mention[] = [];
    const stored: NewMention[] = [];
    const buckets = new Map<number, { negative: number; neutral: number; positive: number; scoreSum: number }>();
    const brandBuckets = new Map<string, { brand: string; minute: number; negative: number; total: number }>();
    for (const m of mentions) {
      const full = { ...m, caseId: null };
      const info = insert.run(
        m.platform,
        m.externalId,
        Date.parse(m.createdAt),
        m.triage.status,
        m.scores.sentiment.label,
        m.scores.priority.score,
        m.text,
        JSON.stringify(full),
        m.triage.assignee,
        m.author.handle.toLowerCase(),
      );
      if (info.changes === 0) continue;
      stored.push(m);
      maxId = Number(info.lastInsertRowid);
      inserted.push({ ...full, id: String(info.lastInsertRowid), version: 1 });
      const minute = minuteOf(m.createdAt);
      let b = buckets.get(minute);
      if (!b) buckets.set(minute, (b = { negative: 0, neutral: 0, positive: 0, scoreSum: 0 }));
      b[m.scores.sentiment.label]++;
      b.scoreSum += m.scores.sentiment.score;
      if (m.brand) {
        const key = `${minute}\u0000${m.brand}`;
        const c = brandBuckets.get(key) ?? { brand: m.brand, minute, negative: 0, total: 0 };
        c.total++;
        if (m.scores.sentiment.label === 'negative') c.negative++;
        brandBuckets.set(key, c);
      }
    }
    for (const c of brandBuckets.values()) bumpBrand.run(c.brand, c.minute, c.negative, c.total);
    addToWall(stored);
    for (const [minute, b] of buckets) bumpRollup.run(minute, b.negative, b.neutral, b.positive, b.scoreSum);
    writeReports(mentionIncrements(inserted));
    return { inserted, duplicates: mentions.length - inserted.length };
  });

  /** The records of these rows, in their order. */
  const recordsOf = (rows: SortRow[]): Mention[] => {
    if (rows.length === 0) return [];
    const found = prepare(`SELECT id, status, version, doc FROM mentions WHERE id IN (${rows.map(() => '?').join(', ')})`).all(...rows.map((r) => r.id)) as MentionRow[];
    const byId = new Map(found.map((r) => [r.id, r]));
    return rows.flatMap((r) => {
      const d = byId.get(r.id);
      return d ? [toMention(d)] : [];
    });
  };

  /** One ordered, limited read of the queue with these conditions (a walk of the sort index). */
  const select = (q: MentionQuery, where: string[], params: Param[], cols: string, limit: number): unknown[] => {
    const order = q.sort === 'priority' ? 'priority DESC, created_at DESC, id DESC' : 'created_at DESC, id DESC';
    const statuses = q.status ?? [];
    if (statuses.length <= 1) {
      const w = statuses.length ? ['status = ?', ...where] : where;
      return prepare(`SELECT ${cols} FROM mentions ${w.length ? `WHERE ${w.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`).all(...statuses, ...params, limit);
    }
    // One ordered, limited walk of the (status, sort) index per status, merged:
    // an IN list on the index's first column would make SQLite sort the whole match.
    const part = `SELECT * FROM (SELECT ${cols} FROM mentions WHERE ${['status = ?', ...where].join(' AND ')} ORDER BY ${order} LIMIT ?)`;
    const sql = `${statuses.map(() => part).join(' UNION ALL ')} ORDER BY ${order} LIMIT ?`;
    return prepare(sql).all(...statuses.flatMap((st) => [st, ...params, limit]), limit);
  };

  /**
   * The common-word plan: reads the queue in order, a chunk at a time, keeping
   * the mentions whose text matches, until the page is full or the budget of
   * examined mentions is spent (then the page is partial and continues from there). Other
   * writes may land between chunks; the keyset keeps the page in order and free of repeats.
   */
  const walkSearch = async (
    q: MentionQuery,
    where: string[],
    params: Param[],
    from: number[] | null,
    matches: (id: number, text: string) => boolean,
    keyOf: (r: SortRow) => number[],
    after: (key: number[]) => [string, number[]],
  ): Promise<MentionPage> => {
    const { walkBudgetRows, walkChunkRows } = search.bounds;
    // Only what the index holds: a row another process adds meanwhile is found by the next search, as with the other plans.
    const indexedWhere = [...where, '+id <= ?'];
    const indexedParams = [...params, indexedUpTo];
    const hits: SortRow[] = [];
    let examined = 0;
    let lastKey = from;
    let exhausted = false;
    while (hits.length <= q.limit && examined < walkBudgetRows) {
      // Between chunks the event loop serves other requests: a long walk never holds it for more than one chunk.
      if (examined > 0) await new Promise((r) => setImmediate(r));
      const w = [...indexedWhere];
      const p = [...indexedParams];
      if (lastKey) {
        const [sql, key] = after(lastKey);
        w.push(sql);
        p.push(...key);
      }
      const chunk = Math.min(walkChunkRows, walkBudgetRows - examined);
      const rows = select(q, w, p, 'id, text, priority, created_at', chunk) as Array<SortRow & { text: string }>;
      for (const r of rows) {
        examined++;
        lastKey = keyOf(r);
        if (matches(r.id, r.text) && hits.push(r) > q.limit) break;
      }
      if (rows.length < chunk) {
        exhausted = true;
        break;
      }
    }
    const more = hits.length > q.limit;
    const page = more ? hits.slice(0, q.limit) : hits;
    const items = recordsOf(page);
    const last = page[page.length - 1];
    if (more && last) return { items, nextCursor: encodeCursor(keyOf(last)) };
    if (exhausted || !lastKey) return { items, nextCursor: null };
    return { items, nextCursor: encodeCursor(lastKey), partial: true };
  };

  /** The conditions of the queue's filters but status, search and cursor (each caller adds those its own way). */
  const filterConditions = (q: Omit<MentionQuery, 'limit' | 'cursor' | 'sort'>) => {
    const where: string[] = [];
    const params: Param[] = [];
    const cond = (sql: string, value: Param) => {
      where.push(sql);
      params.push(value);
    };
    // A unary + keeps SQLite from choosing the (platform, external_id) key or a
    // low-value index for these filters: walking the sort index and filtering is
    // what keeps a page fast.
    const inList = (col: string, values: readonly string[] | undefined) => {
      if (!values) return;
      where.push(`+${col} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    inList('platform', q.platform);
    inList('sentiment', q.sentiment);
    // Filters on fields kept only in the document: read from the JSON, no column of their own.
    inList("json_extract(doc, '$.brand')", q.brand);
    inList("json_extract(doc, '$.lang')", q.lang);
    inList("json_extract(doc, '$.scores.intent.label')", q.intent);
    if (q.tag !== undefined) cond("EXISTS (SELECT 1 FROM json_each(doc, '$.triage.tags') WHERE value = ?)", q.tag);
    if (q.team !== undefined) {
      if (q.team === 'none') where.push("json_extract(doc, '$.triage.team') IS NULL");
      else cond("json_extract(doc, '$.triage.team') = ?", q.team);
    }
    if (q.priorityMin !== undefined) cond('priority >= ?', q.priorityMin);
    if (q.priorityMax !== undefined) cond('priority <= ?', q.priorityMax);
    if (q.assignee !== undefined) {
      if (q.assignee === 'none') where.push('assignee IS NULL');
      else cond('assignee = ?', q.assignee);
    }
    if (q.since) cond('created_at >= ?', Date.parse(q.since));
    if (q.until) cond('created_at < ?', Date.parse(q.until));
    return { where, params, cond };
  };

  return {
    async insertMany({ mentions }) {
      if (mentions.length === 0) return { inserted: [], duplicates: 0 };
      try {
        const res = insertTx.immediate(mentions);
        indexPending(false);
        return res;
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
      const { where, params, cond } = filterConditions(q);
      const keyOf = (r: SortRow) => (q.sort === 'priority' ? [r.priority, r.created_at, r.id] : [r.created_at, r.id]);
      const after = (key: number[]): [string, number[]] => [q.sort === 'priority' ? '(priority, created_at, id) < (?, ?, ?)' : '(created_at, id) < (?, ?)', key];
      let from: number[] | null = null;
      if (q.cursor) from = decodeCursor(q.cursor, q.sort === 'priority' ? ['number', 'number', 'number'] : ['number', 'number']) as number[];

      if (q.q) {
        indexPending(true);
        const { fts, terms } = ftsQuery(q.q);
        const plan = search.plan(fts);
        if (plan === 'common') return walkSearch(q, where, params, from, search.matcher(fts, terms), keyOf, after);
        // rare: SQLite looks the matches up and sorts them; medium: the unary + makes it walk the sort index against the set of matches.
        cond(`${plan === 'rare' ? '' : '+'}id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)`, fts);
      }
      if (from) {
        const [sql, key] = after(from);
        where.push(sql);
        params.push(...key);
      }
      // A search sorts its matches by their keys alone, then reads the page's records: sorting whole records would copy every match's.
      const rows = select(q, where, params, q.q ? 'id, priority, created_at' : 'id, status, version, doc, priority, created_at', q.limit + 1) as Array<MentionRow & SortRow>;
      const more = rows.length > q.limit;
      const page = more ? rows.slice(0, q.limit) : rows;
      const last = page[page.length - 1];
      return { items: q.q ? recordsOf(page) : page.map(toMention), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
    },

    async count() {
      return (prepare('SELECT count(*) AS n FROM mentions').get() as { n: number }).n;
    },

    async countMatching({ filters, cap }) {
      const { where, params, cond } = filterConditions(filters);
      if (filters.status) {
        where.push(`status IN (${filters.status.map(() => '?').join(', ')})`);
        params.push(...filters.status);
      }
      if (filters.q) {
        indexPending(true);
        cond('id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)', ftsQuery(filters.q).fts);
      }
      // The LIMIT inside stops the scan at cap + 1 matches: a broad view costs no more than the cap.
      const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM mentions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} LIMIT ?)`;
      const n = (prepare(sql).get(...params, cap + 1) as { n: number }).n;
      return { n: Math.min(n, cap), more: n > cap };
    },

    async getMany({ ids }) {
      const numeric = ids.filter((id) => /^\d{1,18}$/.test(id)).slice(0, 1000);
      if (numeric.length === 0) return [];
      const rows = prepare(`SELECT id, status, version, doc FROM mentions WHERE id IN (${numeric.map(() => '?').join(', ')})`).all(
        ...numeric.map(Number),
      ) as MentionRow[];
      const byId = new Map(rows.map((r) => [String(r.id), toMention(r)]));
      return numeric.flatMap((id) => byId.get(id) ?? []);
    },

    async replace({ mention, expectedVersion }) {
      const { id, version: _v, ...doc } = mention;
      const info = update.run(
        mention.triage.status,
        mention.scores.sentiment.label,
        mention.scores.priority.score,
        mention.triage.assignee,
        JSON.stringify(doc),
        Number(id),
        expectedVersion,
      );
      if (info.changes === 0) {
        const current = prepare('SELECT version FROM mentions WHERE id = ?').get(Number(id)) as { version: number } | undefined;
        if (!current) throw new NotFoundError(`No mention with id ${id}`);
        throw new ConflictError(`Mention ${id} changed since version ${expectedVersion}`, { currentVersion: current.version });
      }
      return { ...mention, version: expectedVersion + 1 };
    },

    async redact({ ids, at, reason }) {
      const numeric = ids.filter((id) => /^\d{1,18}$/.test(id)).slice(0, 1000);
      if (numeric.length === 0) return [];
      try {
        return redactTx.immediate(numeric.map(Number), at, reason);
      } catch (e) {
        throw translateSqliteError(e, 'mention');
      }
    },

    async unredactedBefore({ before, limit }) {
      const rows = prepare('SELECT id FROM mentions WHERE redacted = 0 AND created_at < ? ORDER BY created_at, id LIMIT ?').all(Date.parse(before), Math.max(1, Math.min(5000, limit))) as Array<{ id: number }>;
      return rows.map((r) => String(r.id));
    },

    async byAuthor({ platform, handle, limit, before }) {
      const rows = (
        before
          ? prepare('SELECT id, status, version, doc FROM mentions WHERE platform = ? AND author_handle = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?').all(
              platform,
              handle.toLowerCase(),
              Date.parse(before.createdAt),
              Number(before.id),
              limit,
            )
          : prepare('SELECT id, status, version, doc FROM mentions WHERE platform = ? AND author_handle = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(platform, handle.toLowerCase(), limit)
      ) as MentionRow[];
      return rows.map(toMention);
    },
  };
}

/**
 * Schema migrations, applied in order at open; `user_version` records how far
 * a database has come. Append, never edit a shipped step.
 */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    sentiment TEXT NOT NULL,
    priority INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    text TEXT NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (platform, external_id)
  );
  -- One index per queue order, and the same orders under a status filter,
  -- so a page is an index walk that stops after 50 rows.
  CREATE INDEX mentions_by_priority ON mentions (priority DESC, created_at DESC, id DESC);
  CREATE INDEX mentions_by_recent ON mentions (created_at DESC, id DESC);
  CREATE INDEX mentions_status_priority ON mentions (status, priority DESC, created_at DESC, id DESC);
  CREATE INDEX mentions_status_recent ON mentions (status, created_at DESC, id DESC);

  -- detail = none: queries are sets of single words, never phrases, and it halves the index work.
  CREATE VIRTUAL TABLE mentions_fts USING fts5 (text, content = 'mentions', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2', detail = none);
  -- Mentions are added to the text index in batches (see mention-store.ts): a
  -- trigger per row halves ingest speed. fts_state says how far indexing has come.
  CREATE TABLE fts_state (id INTEGER PRIMARY KEY CHECK (id = 1), last_id INTEGER NOT NULL);
  INSERT INTO fts_state (id, last_id) VALUES (1, 0);
  CREATE TRIGGER mentions_fts_delete AFTER DELETE ON mentions WHEN old.id <= (SELECT last_id FROM fts_state) BEGIN
    INSERT INTO mentions_fts (mentions_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END;

  CREATE TABLE rollups (
    minute INTEGER PRIMARY KEY,
    negative INTEGER NOT NULL DEFAULT 0,
    neutral INTEGER NOT NULL DEFAULT 0,
    positive INTEGER NOT NULL DEFAULT 0,
    score_sum REAL NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX sessions_expiry ON sessions (expires_at);
  `,
];

MIGRATIONS.push(`
  ALTER TABLE mentions ADD COLUMN assignee TEXT;
  ALTER TABLE mentions ADD COLUMN author_handle TEXT;
  UPDATE mentions SET assignee = json_extract(doc, '$.triage.assignee'), author_handle = lower(json_extract(doc, '$.author.handle'));
  CREATE INDEX mentions_assignee ON mentions (assignee, priority DESC, created_at DESC, id DESC) WHERE assignee IS NOT NULL;
  CREATE INDEX mentions_author ON mentions (platform, author_handle, created_at DESC);

  CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    status TEXT NOT NULL,
    assignee TEXT,
    customer_id TEXT,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX cases_status ON cases (status, id DESC);
  CREATE INDEX cases_assignee ON cases (assignee, id DESC);
  CREATE INDEX cases_customer ON cases (customer_id, id DESC);

  CREATE TABLE timeline (
    id INTEGER PRIMARY KEY,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX timeline_entity ON timeline (entity_type, entity_id, id);

  CREATE TABLE replies (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    mention_id TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX replies_mention ON replies (mention_id, id);
  CREATE INDEX replies_state ON replies (state, id);

  CREATE TABLE canned_responses (
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );

  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id TEXT,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX audit_actor ON audit (actor_id, id DESC);
  CREATE INDEX audit_entity ON audit (entity_type, entity_id, id DESC);
`);

MIGRATIONS.push(`
  ALTER TABLE users ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
`);

MIGRATIONS.push(`
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`);

MIGRATIONS.push(`
  CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    state TEXT NOT NULL,
    next_attempt_at INTEGER,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (webhook_id, event_id)
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);

  CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name_lower TEXT NOT NULL,
    merged_into TEXT,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX customers_name ON customers (name_lower);
  CREATE TABLE customer_identities (
    platform TEXT NOT NULL,
    handle_lower TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    PRIMARY KEY (platform, handle_lower)
  ) WITHOUT ROWID;
  CREATE INDEX customer_identities_handle ON customer_identities (handle_lower);
  CREATE INDEX customer_identities_customer ON customer_identities (customer_id);
`);

MIGRATIONS.push(`
  CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    brand TEXT,
    kind TEXT NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX corrections_brand ON corrections (brand, kind, id);
`);

MIGRATIONS.push(`
  CREATE TABLE brand_minutes (
    brand TEXT NOT NULL,
    minute INTEGER NOT NULL,
    negative INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (brand, minute)
  ) WITHOUT ROWID;
  CREATE INDEX brand_minutes_minute ON brand_minutes (minute);
  CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    brand TEXT NOT NULL,
    raised_at INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL
  );
  CREATE INDEX alerts_brand ON alerts (brand, raised_at);
  CREATE INDEX alerts_raised ON alerts (raised_at);
`);

MIGRATIONS.push(`
  -- outbox: a queued reply's lease (ms since the epoch), so any process finds replies whose sender died
  ALTER TABLE replies ADD COLUMN lease_until INTEGER;
  CREATE INDEX replies_due ON replies (state, lease_until);
`);

MIGRATIONS.push(`
  -- trusthttp: sessions listed and revoked by their owner (public id, sign-in address and agent, last seen); users can be disabled
  ALTER TABLE sessions ADD COLUMN id TEXT;
  ALTER TABLE sessions ADD COLUMN created_at INTEGER;
  ALTER TABLE sessions ADD COLUMN last_seen INTEGER;
  ALTER TABLE sessions ADD COLUMN ip TEXT;
  ALTER TABLE sessions ADD COLUMN user_agent TEXT;
  UPDATE sessions SET id = 'legacy-' || substr(token_hash, 1, 12) WHERE id IS NULL;
  CREATE UNIQUE INDEX sessions_public_id ON sessions (id);
  CREATE INDEX sessions_user ON sessions (user_id, expires_at);
  ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
`);

MIGRATIONS.push(`
  -- trustdata: privacy. Redacted mentions (erasure, retention) are marked so the retention sweep finds only the rest.
  ALTER TABLE mentions ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX mentions_unredacted ON mentions (created_at, id) WHERE redacted = 0;
`);

MIGRATIONS.push(`
  -- duties: leases (timed sweeps, connectors), atomic counters (case numbers), unique alert keys
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    version INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO counters (name, value) SELECT 'case', coalesce(max(number), 1000) FROM cases;
  ALTER TABLE alerts ADD COLUMN dedupe_key TEXT;
  CREATE UNIQUE INDEX alerts_dedupe_key ON alerts (dedupe_key);
`);

MIGRATIONS.push(`
  -- support: the case queue filters and sorts in the store. The columns are generated from the document, so every
  -- write of a case keeps them true without the case store naming them.
  ALTER TABLE cases ADD COLUMN team TEXT GENERATED ALWAYS AS (json_extract(doc, '$.team')) VIRTUAL;
  ALTER TABLE cases ADD COLUMN priority TEXT GENERATED ALWAYS AS (json_extract(doc, '$.priority')) VIRTUAL;
  ALTER TABLE cases ADD COLUMN brand TEXT GENERATED ALWAYS AS (json_extract(doc, '$.brand')) VIRTUAL;
  ALTER TABLE cases ADD COLUMN category TEXT GENERATED ALWAYS AS (json_extract(doc, '$.category')) VIRTUAL;
  ALTER TABLE cases ADD COLUMN sla_due TEXT GENERATED ALWAYS AS (json_extract(doc, '$.sla.nextDueAt')) VIRTUAL;
  ALTER TABLE cases ADD COLUMN sla_risk TEXT GENERATED ALWAYS AS (json_extract(doc, '$.sla.nextRiskAt')) VIRTUAL;
  ALTER TABLE cases ADD COLUMN sla_breached INTEGER GENERATED ALWAYS AS (json_array_length(doc, '$.sla.breached') > 0) VIRTUAL;
  -- cases made before the SLA index: their next due time is the first response's until answered, then the resolution's
  UPDATE cases SET doc = json_set(doc, '$.sla.nextDueAt',
      CASE WHEN status IN ('open', 'pending') THEN coalesce(CASE WHEN json_extract(doc, '$.firstResponseAt') IS NULL THEN json_extract(doc, '$.sla.firstResponseDueAt') END, json_extract(doc, '$.sla.resolutionDueAt')) END)
    WHERE json_type(doc, '$.sla.nextDueAt') IS NULL;
  CREATE INDEX cases_team_queue ON cases (team, status, sla_due);
  CREATE INDEX cases_status_queue ON cases (status, sla_due);

  CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    read_at TEXT,
    doc TEXT NOT NULL
  );
  CREATE INDEX notices_user ON notices (user_id, id DESC);
  CREATE INDEX notices_unread ON notices (user_id, id DESC) WHERE read_at IS NULL;
`);

MIGRATIONS.push(`
  -- wall: per brand, network, language and minute or hour (span in ms), by sentiment
  CREATE TABLE wall_buckets (
    span INTEGER NOT NULL,
    start INTEGER NOT NULL,
    brand TEXT NOT NULL,
    platform TEXT NOT NULL,
    lang TEXT NOT NULL,
    negative INTEGER NOT NULL DEFAULT 0,
    neutral INTEGER NOT NULL DEFAULT 0,
    positive INTEGER NOT NULL DEFAULT 0,
    score_sum REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (span, start, brand, platform, lang)
  ) WITHOUT ROWID;
  INSERT INTO wall_buckets (span, start, brand, platform, lang, negative, neutral, positive, score_sum)
    SELECT s.span, (m.created_at / s.span) * s.span, json_extract(m.doc, '$.brand'), m.platform, coalesce(json_extract(m.doc, '$.lang'), ''),
      sum(m.sentiment = 'negative'), sum(m.sentiment = 'neutral'), sum(m.sentiment = 'positive'), sum(json_extract(m.doc, '$.scores.sentiment.score'))
    FROM mentions m, (SELECT 60000 AS span UNION ALL SELECT 3600000) s
    WHERE json_extract(m.doc, '$.brand') IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;
`);

MIGRATIONS.push(`
  -- investigations: mentions linked to investigation cases (apart from a mention's own case)
  CREATE TABLE investigation_links (
    case_id INTEGER NOT NULL,
    mention_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, mention_id)
  ) WITHOUT ROWID;
  CREATE INDEX investigation_links_recent ON investigation_links (case_id, created_at DESC, mention_id DESC);
  CREATE INDEX cases_investigations ON cases (status, id) WHERE json_extract(doc, '$.kind') = 'investigation';
`);

MIGRATIONS.push(`
  -- reports: rollups per hour and day for each brand and network and '*' (all); histograms in bucket >= 0
  CREATE TABLE report_rollups (
    grain TEXT NOT NULL,
    dim TEXT NOT NULL,
    brand TEXT NOT NULL,
    network TEXT NOT NULL,
    period INTEGER NOT NULL,
    value TEXT NOT NULL,
    metric TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    n INTEGER NOT NULL,
    sum REAL NOT NULL,
    PRIMARY KEY (grain, dim, brand, network, period, value, metric, bucket)
  ) WITHOUT ROWID;
  CREATE TABLE feedback_waits (
    key TEXT PRIMARY KEY,
    replied_at INTEGER NOT NULL,
    doc TEXT NOT NULL
  ) WITHOUT ROWID;
`);

MIGRATIONS.push(`
  -- saved queue views: each user's named filter sets (filters: the queue's query as JSON)
  CREATE TABLE saved_views (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    filters TEXT NOT NULL
  );
  CREATE UNIQUE INDEX saved_views_user_name ON saved_views (user_id, name);
`);

MIGRATIONS.push(`
  -- reports: a histogram is ONE row (hist: a JSON object bucket -> count), not one row per bucket, so a
  -- response report reads ~20x fewer rows; the old per-bucket rows are folded into it.
  CREATE TABLE report_rollups_new (
    grain TEXT NOT NULL,
    dim TEXT NOT NULL,
    brand TEXT NOT NULL,
    network TEXT NOT NULL,
    period INTEGER NOT NULL,
    value TEXT NOT NULL,
    metric TEXT NOT NULL,
    n INTEGER NOT NULL,
    sum REAL NOT NULL,
    hist TEXT,
    PRIMARY KEY (grain, dim, brand, network, period, value, metric)
  ) WITHOUT ROWID;
  INSERT INTO report_rollups_new (grain, dim, brand, network, period, value, metric, n, sum, hist)
    SELECT grain, dim, brand, network, period, value, metric, sum(n), sum(sum),
      CASE WHEN max(bucket) >= 0 THEN json_group_object(CAST(bucket AS TEXT), n) FILTER (WHERE bucket >= 0) END
    FROM report_rollups GROUP BY grain, dim, brand, network, period, value, metric;
  DROP TABLE report_rollups;
  ALTER TABLE report_rollups_new RENAME TO report_rollups;
  -- feedback events counted on a customer's mention (doc: FeedbackEvent), so correcting that mention revises its event
  CREATE TABLE feedback_events (
    mention_id TEXT PRIMARY KEY,
    doc TEXT NOT NULL
  ) WITHOUT ROWID;
`);

MIGRATIONS.push(`
  -- reports: negative topics keep day rows only (shared/reports.ts grainsOf); their week rows are never
  -- read again, and they hold words of posts that an erasure could no longer find to take out.
  DELETE FROM report_rollups WHERE dim = 'neg.topic' AND grain = 'week';
`);

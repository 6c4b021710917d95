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

  CREATE VIRTUAL TABLE mentions_fts USING fts5 (text, content = 'mentions', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
  CREATE TRIGGER mentions_fts_insert AFTER INSERT ON mentions BEGIN
    INSERT INTO mentions_fts (rowid, text) VALUES (new.id, new.text);
  END;
  CREATE TRIGGER mentions_fts_delete AFTER DELETE ON mentions BEGIN
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

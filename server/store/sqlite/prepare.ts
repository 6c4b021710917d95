import type Database from 'better-sqlite3';

export type Prepare = (sql: string) => Database.Statement;
export type Param = string | number | null;

/** Prepared statements cached by their SQL text: each distinct query is compiled once. */
export function statementCache(db: Database.Database): Prepare {
  const statements = new Map<string, Database.Statement>();
  return (sql) => {
    let st = statements.get(sql);
    if (!st) {
      st = db.prepare(sql);
      statements.set(sql, st);
    }
    return st;
  };
}

export const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000) * 60_000;

import { ConflictError, NotFoundError } from '../../../shared/errors.js';
import { translateSqliteError } from './errors.js';
import type { Param, Prepare } from './prepare.js';

interface Versioned {
  id: string;
  version: number;
}
type Column<T> = { name: string; value: (item: Omit<T, 'id' | 'version'>) => Param };

/**
 * A table of JSON documents with an integer id, a version for compare-and-set,
 * and a few columns copied out of the document for indexes. Records that are
 * read by id or by one key (cases, replies, saved replies) live in these.
 */
export function docTable<T extends Versioned>(prepare: Prepare, table: string, what: string, columns: Column<T>[] = []) {
  const names = columns.map((c) => c.name);
  const row = (r: { id: number; version: number; doc: string }): T => ({ ...(JSON.parse(r.doc) as Omit<T, 'id' | 'version'>), id: String(r.id), version: r.version }) as T;
  const isId = (id: string) => /^\d{1,18}$/.test(id);

  return {
    insert(draft: Omit<T, 'id' | 'version'>, extra: Record<string, Param> = {}): T {
      const cols = [...names, ...Object.keys(extra), 'version', 'doc'];
      const values = [...columns.map((c) => c.value(draft)), ...Object.values(extra), 1, JSON.stringify(draft)];
      try {
        const info = prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...values);
        return { ...draft, id: String(info.lastInsertRowid), version: 1 } as T;
      } catch (e) {
        throw translateSqliteError(e, what);
      }
    },
    get(id: string): T | null {
      if (!isId(id)) return null;
      const r = prepare(`SELECT id, version, doc FROM ${table} WHERE id = ?`).get(Number(id)) as { id: number; version: number; doc: string } | undefined;
      return r ? row(r) : null;
    },
    replace(item: T, expectedVersion: number): T {
      const { id, version: _v, ...doc } = item;
      const sets = [...names.map((n) => `${n} = ?`), 'version = version + 1', 'doc = ?'].join(', ');
      const info = prepare(`UPDATE ${table} SET ${sets} WHERE id = ? AND version = ?`).run(
        ...columns.map((c) => c.value(doc as Omit<T, 'id' | 'version'>)),
        JSON.stringify(doc),
        Number(id),
        expectedVersion,
      );
      if (info.changes === 0) {
        const current = prepare(`SELECT version FROM ${table} WHERE id = ?`).get(Number(id)) as { version: number } | undefined;
        if (!current) throw new NotFoundError(`No ${what} with id ${id}`);
        throw new ConflictError(`The ${what} changed since version ${expectedVersion}`, { currentVersion: current.version });
      }
      return { ...item, version: expectedVersion + 1 };
    },
    delete(id: string): boolean {
      if (!isId(id)) return false;
      return prepare(`DELETE FROM ${table} WHERE id = ?`).run(Number(id)).changes > 0;
    },
    /** `where` and `tail` (ORDER BY / LIMIT) are written by the adapter, never from user input. */
    query(where: string, params: Param[], tail: string): T[] {
      const rows = prepare(`SELECT id, version, doc FROM ${table} ${where ? `WHERE ${where}` : ''} ${tail}`).all(...params) as Array<{ id: number; version: number; doc: string }>;
      return rows.map(row);
    },
  };
}

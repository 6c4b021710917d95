import type { mongo } from 'mongoose';
import type { CollectionName } from './models.js';

/** Plain objects; ids are integers or strings here, never ObjectIds. */
export type Doc = mongo.Document;
export type Col = mongo.Collection<Doc>;
export type BulkOp = mongo.AnyBulkWriteOperation<Doc>;

/** What every sub-store gets: its collections and the id allocator. */
export interface MongoDb {
  col(name: CollectionName): Col;
  /** Reserves `n` consecutive integer ids for `sequence` and returns the first. */
  nextIds(sequence: string, n: number): Promise<number>;
  /** Test hook: called after each step of a multi-document write, so a test can stop there. */
  step(name: string): Promise<void>;
}

/** Ids are integers, as in SQLite, so ordering, cursors and a migration keep them as they are. */
export const isId = (id: string) => /^\d{1,15}$/.test(id);

export const ms = (iso: string) => Date.parse(iso);
export const minuteOf = (iso: string) => Math.floor(Date.parse(iso) / 60_000) * 60_000;

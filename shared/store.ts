/**
 * The storage port: what Hark needs from a database, in Hark's words. Types only.
 * Every adapter (server/store/sqlite, server/store/mongo) passes tests/contract,
 * whose rules are listed with IDs in tests/contract/STORAGE.md.
 */
import type { Mention, NewMention } from './mention.js';
import type { MentionPage, MentionQuery } from './mention-query.js';
import type { Role, User } from './auth.js';

export interface MentionKey {
  platform: string;
  externalId: string;
}

export interface InsertMentionsResult {
  /** Only the mentions this call stored; ones already present are left untouched. */
  inserted: Mention[];
  duplicates: number;
}

export interface MentionStore {
  /**
   * Stores the mentions that are not stored yet (by platform + externalId) and
   * adds exactly those to the per-minute rollups, atomically.
   */
  insertMany(args: { mentions: NewMention[] }): Promise<InsertMentionsResult>;
  /** Which of these keys are already stored (as `mentionKey` strings). */
  existingKeys(args: { keys: MentionKey[] }): Promise<Set<string>>;
  get(args: { id: string }): Promise<Mention | null>;
  list(args: MentionQuery): Promise<MentionPage>;
  count(): Promise<number>;
}

export interface RollupBucket {
  /** Start of the minute, ISO. */
  minute: string;
  negative: number;
  neutral: number;
  positive: number;
  /** Sum of sentiment scores, so a gauge can average over any window. */
  scoreSum: number;
}

export interface RollupStore {
  /** Per-minute buckets (by the post's createdAt) in [from, to), oldest first; empty minutes are omitted. */
  series(args: { from: string; to: string }): Promise<RollupBucket[]>;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
}
export interface StoredUser extends User {
  passwordHash: string;
}
export interface UserStore {
  /** Throws ConflictError when the email is taken. */
  create(args: NewUser): Promise<User>;
  findByEmail(args: { email: string }): Promise<StoredUser | null>;
  findById(args: { id: string }): Promise<User | null>;
  count(): Promise<number>;
}

export interface Session {
  tokenHash: string;
  userId: string;
  expiresAt: string;
}
export interface SessionStore {
  create(args: Session): Promise<void>;
  find(args: { tokenHash: string; now: string }): Promise<Session | null>;
  delete(args: { tokenHash: string }): Promise<void>;
  deleteExpired(args: { now: string }): Promise<number>;
}

export interface Store {
  readonly kind: string;
  mentions: MentionStore;
  rollups: RollupStore;
  users: UserStore;
  sessions: SessionStore;
  close(): Promise<void>;
}

/**
 * The storage port: what Hark needs from a database, in Hark's words. Types only.
 * Every adapter (server/store/sqlite, server/store/mongo) passes tests/contract,
 * whose rules are listed with IDs in tests/contract/STORAGE.md.
 */
import type { Mention, NewMention } from './mention.js';
import type { MentionPage, MentionQuery } from './mention-query.js';
import type { Role, User, UserSettings } from './auth.js';
import type { AuditEvent, NewAuditEvent } from './audit.js';
import type { Case, CaseStatus, NewTimelineEvent, TimelineEvent } from './case.js';
import type { CannedResponse, Reply } from './reply.js';
import type { Customer, Identity } from './customer.js';
import type { WebhookDelivery } from './webhook.js';

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
  getMany(args: { ids: string[] }): Promise<Mention[]>;
  /**
   * Compare-and-set: stores `mention` only if the stored version is still
   * `expectedVersion`, and returns it with the version bumped. Otherwise
   * ConflictError (someone else changed it first) or NotFoundError.
   */
  replace(args: { mention: Mention; expectedVersion: number }): Promise<Mention>;
  /** The author's other mentions on that network, newest first (customer history); `before` pages to older ones. */
  byAuthor(args: { platform: string; handle: string; limit: number; before?: { createdAt: string; id: string } }): Promise<Mention[]>;
}

export interface CaseListQuery {
  status?: CaseStatus[];
  assignee?: string;
  customerId?: string;
  limit: number;
  cursor?: string;
}
export interface CaseStore {
  /** Allocates the next human-readable number. */
  create(args: { draft: Omit<Case, 'id' | 'number' | 'version'> }): Promise<Case>;
  get(args: { id: string }): Promise<Case | null>;
  /** Compare-and-set on version, like MentionStore.replace. */
  replace(args: { kase: Case; expectedVersion: number }): Promise<Case>;
  list(args: CaseListQuery): Promise<{ items: Case[]; nextCursor: string | null }>;
  /**
   * Cases whose `mentionIds` list this mention, oldest first. The case is where
   * an escalation is recorded first, so this finds one whose mentions were not
   * all linked yet (a write that stopped half way) and lets a retry finish it.
   */
  findByMention(args: { mentionId: string }): Promise<Case[]>;
}

export interface TimelineStore {
  append(args: { event: NewTimelineEvent }): Promise<TimelineEvent>;
  list(args: { entityType: TimelineEvent['entityType']; entityId: string }): Promise<TimelineEvent[]>;
}

export interface ReplyStore {
  /** ConflictError when the idempotency key was used before. */
  create(args: { reply: Omit<Reply, 'id' | 'version'> }): Promise<Reply>;
  get(args: { id: string }): Promise<Reply | null>;
  findByKey(args: { idempotencyKey: string }): Promise<Reply | null>;
  replace(args: { reply: Reply; expectedVersion: number }): Promise<Reply>;
  listForMention(args: { mentionId: string }): Promise<Reply[]>;
  listByState(args: { state: Reply['state']; limit: number }): Promise<Reply[]>;
}

export interface CannedResponseStore {
  list(): Promise<CannedResponse[]>;
  get(args: { id: string }): Promise<CannedResponse | null>;
  create(args: { draft: Omit<CannedResponse, 'id' | 'version'> }): Promise<CannedResponse>;
  replace(args: { item: CannedResponse; expectedVersion: number }): Promise<CannedResponse>;
  delete(args: { id: string }): Promise<boolean>;
}

export interface AuditQuery {
  actorId?: string;
  entityType?: AuditEvent['entityType'];
  entityId?: string;
  since?: string;
  until?: string;
  limit: number;
  cursor?: string;
}
export interface AuditStore {
  append(args: { event: NewAuditEvent }): Promise<AuditEvent>;
  /** Newest first. */
  list(args: AuditQuery): Promise<{ items: AuditEvent[]; nextCursor: string | null }>;
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

export interface BrandMinute {
  brand: string;
  /** Start of the minute, ISO. */
  minute: string;
  negative: number;
  total: number;
}

export interface RollupStore {
  /** Per-brand, per-minute counts in [from, to), oldest first; empty minutes are omitted. */
  brandSeries(args: { from: string; to: string }): Promise<BrandMinute[]>;
  /** Per-minute buckets (by the post's createdAt) in [from, to), oldest first; empty minutes are omitted. */
  series(args: { from: string; to: string }): Promise<RollupBucket[]>;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  passwordHash: string;
  settings?: Partial<UserSettings>;
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
  list(): Promise<User[]>;
  update(args: { id: string; patch: Partial<UserSettings> & { role?: Role; name?: string } }): Promise<User>;
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

export interface WebhookDeliveryStore {
  /** Records a delivery to make; null when this webhook already has this event id (no duplicates). */
  enqueue(args: { delivery: Omit<WebhookDelivery, 'id' | 'version'> }): Promise<WebhookDelivery | null>;
  /** Pending deliveries whose next attempt is due, oldest first. */
  due(args: { now: string; limit: number }): Promise<WebhookDelivery[]>;
  get(args: { id: string }): Promise<WebhookDelivery | null>;
  replace(args: { delivery: WebhookDelivery; expectedVersion: number }): Promise<WebhookDelivery>;
  /** Newest first. */
  list(args: { webhookId?: string; limit: number; cursor?: string }): Promise<{ items: WebhookDelivery[]; nextCursor: string | null }>;
}

export interface CustomerStore {
  /** ConflictError when one of the identities already belongs to another customer. */
  create(args: { draft: Omit<Customer, 'id' | 'version'> }): Promise<Customer>;
  get(args: { id: string }): Promise<Customer | null>;
  /** Compare-and-set; keeps the identity index in step (ConflictError if an identity is taken). */
  replace(args: { customer: Customer; expectedVersion: number }): Promise<Customer>;
  /** Active (not merged) customers owning these identities, by `identityKey`. */
  findByIdentities(args: { identities: Identity[] }): Promise<Map<string, Customer>>;
  /** Active customers whose name or a handle contains `q`, or, with `handles`/`name`, likely the same person. */
  search(args: { q?: string; handles?: string[]; name?: string; limit: number }): Promise<Customer[]>;
}

/** Small documents managers edit now and then: SLA policy, teams, routing rules, webhooks. */
export interface SettingsStore {
  get<T>(args: { key: string }): Promise<{ value: T; version: number } | null>;
  /** Keys that start with `prefix`. */
  keys(args: { prefix: string }): Promise<string[]>;
  /** Compare-and-set; `expectedVersion` 0 means "must not exist yet". */
  set<T>(args: { key: string; value: T; expectedVersion: number }): Promise<{ value: T; version: number }>;
}

export interface Correction {
  id: string;
  mentionId: string;
  brand: string | null;
  kind: 'sentiment' | 'intent';
  label: string;
  text: string;
  lang: string;
  actorId: string;
  at: string;
}
export interface CorrectionStore {
  add(args: { correction: Omit<Correction, 'id'> }): Promise<Correction>;
  /** Oldest first, after `afterId`, for replaying into a model. */
  list(args: { brand?: string | null; kind?: Correction['kind']; afterId?: string; limit: number }): Promise<Correction[]>;
}

export interface AlertStore {
  create(args: { alert: Omit<import('./spikes.js').Alert, 'id' | 'version'> }): Promise<import('./spikes.js').Alert>;
  /** Newest first. */
  list(args: { brand?: string; since?: string; limit: number }): Promise<import('./spikes.js').Alert[]>;
}

export interface Store {
  readonly kind: string;
  mentions: MentionStore;
  rollups: RollupStore;
  users: UserStore;
  sessions: SessionStore;
  cases: CaseStore;
  timeline: TimelineStore;
  replies: ReplyStore;
  cannedResponses: CannedResponseStore;
  audit: AuditStore;
  settings: SettingsStore;
  webhookDeliveries: WebhookDeliveryStore;
  customers: CustomerStore;
  corrections: CorrectionStore;
  alerts: AlertStore;
  close(): Promise<void>;
}

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
import type { RedactionReason } from './privacy.js';
import type { NewNotice, Notice } from './notice.js';
import type { CasePriority, SlaState } from './case.js';
import type { FeedbackEvent, FeedbackKind, Grain, ReportDim, ReportIncrement, ReportRow } from './reports.js';
import type { SavedView, SavedViewFilters, ViewCount } from './saved-view.js';

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
  /**
   * How many mentions match these filters (the queue's, `sort` ignored),
   * counting no further than `cap`: `more` says there are more than `cap`.
   * Cost is bounded by the cap for common filters, not by the table.
   */
  countMatching(args: { filters: SavedViewFilters; cap: number }): Promise<ViewCount>;
  getMany(args: { ids: string[] }): Promise<Mention[]>;
  /**
   * Compare-and-set: stores `mention` only if the stored version is still
   * `expectedVersion`, and returns it with the version bumped. Otherwise
   * ConflictError (someone else changed it first) or NotFoundError.
   */
  replace(args: { mention: Mention; expectedVersion: number }): Promise<Mention>;
  /** The author's other mentions on that network, newest first (customer history); `before` pages to older ones. */
  byAuthor(args: { platform: string; handle: string; limit: number; before?: { createdAt: string; id: string } }): Promise<Mention[]>;
  /**
   * Privacy: removes the text and the author of these mentions for good (text
   * "", author ERASED_AUTHOR, no link, no cues), in the stored document, every
   * copied column and the text index, and marks them `redacted`. Scores, triage
   * and rollup counts stay. Idempotent; returns the mentions it changed.
   */
  redact(args: { ids: string[]; at: string; reason: RedactionReason }): Promise<Mention[]>;
  /** Ids of mentions posted before `before` that are not redacted yet, oldest first (retention). */
  unredactedBefore(args: { before: string; limit: number }): Promise<string[]>;
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

/**
 * The case queue: a team's cases sorted by the SLA clock that runs out next
 * (paused and finished cases last), filtered in the store. SLA state is
 * judged at `now` from the stored due and at-risk instants (Case.sla.nextDueAt,
 * nextRiskAt).
 */
export interface CaseQueueQuery {
  now: string;
  status?: CaseStatus[];
  priority?: CasePriority[];
  slaState?: SlaState;
  /** A user id, or "none" for unassigned. */
  assignee?: string;
  team?: string;
  brand?: string;
  category?: string;
  limit: number;
  /** Offset into the order (the order moves as clocks run, so a keyset would skip or repeat). */
  offset?: number;
}
export interface CaseQueueStore {
  page(args: CaseQueueQuery): Promise<{ items: Case[]; total: number }>;
  /** How many cases match the filters but `slaState`, per SLA state. */
  counts(args: Omit<CaseQueueQuery, 'slaState' | 'limit' | 'offset'>): Promise<Record<SlaState, number>>;
}

/** Each user's notices inbox. */
export interface NoticeStore {
  /**
   * Stores the notice unless one with the same `key` exists (a unique key in
   * the store): the same event seen by several processes makes one notice.
   * Returns null for a duplicate.
   */
  createOnce(args: { key: string; notice: NewNotice }): Promise<Notice | null>;
  /** Newest first; `before` pages to older ones (a notice id). */
  list(args: { userId: string; unreadOnly?: boolean; limit: number; before?: string }): Promise<Notice[]>;
  unreadCount(args: { userId: string }): Promise<number>;
  /** Marks this user's notices read (these ids, or all); returns how many changed. Others' notices are never touched. */
  markRead(args: { userId: string; ids?: string[]; at: string }): Promise<number>;
}

/** Each user's saved queue views. */
export interface SavedViewStore {
  /** The user's views, oldest first. */
  list(args: { userId: string }): Promise<SavedView[]>;
  count(args: { userId: string }): Promise<number>;
  /** ConflictError when the user already has a view with this name. */
  create(args: { view: Omit<SavedView, 'id'> }): Promise<SavedView>;
  /** Removes the view only if it is this user's; false when there is none such. */
  remove(args: { userId: string; id: string }): Promise<boolean>;
}

export interface TimelineStore {
  append(args: { event: NewTimelineEvent }): Promise<TimelineEvent>;
  list(args: { entityType: TimelineEvent['entityType']; entityId: string }): Promise<TimelineEvent[]>;
  /** Privacy: empties `data.text` of this entity's events (notes) and marks them `erased`; returns how many changed. */
  redactText(args: { entityType: TimelineEvent['entityType']; entityId: string }): Promise<number>;
}

export interface ReplyStore {
  /** ConflictError when the idempotency key was used before. */
  create(args: { reply: Omit<Reply, 'id' | 'version'> }): Promise<Reply>;
  get(args: { id: string }): Promise<Reply | null>;
  findByKey(args: { idempotencyKey: string }): Promise<Reply | null>;
  replace(args: { reply: Reply; expectedVersion: number }): Promise<Reply>;
  listForMention(args: { mentionId: string }): Promise<Reply[]>;
  listByState(args: { state: Reply['state']; limit: number }): Promise<Reply[]>;
  /**
   * The outbox: queued replies whose lease is unset or expired at `now`
   * (their sender died or never started), oldest first. Claiming one is a
   * `replace` on its version, so of several senders exactly one gets it.
   */
  listDue(args: { now: string; limit: number }): Promise<Reply[]>;
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
  /** Privacy: drops `before`/`after` of this entity's entries (who did what, when, stays) and marks them `redacted`. */
  redactEntity(args: { entityType: AuditEvent['entityType']; entityId: string }): Promise<number>;
  /** Privacy: the same for single entries (another record's entry that recorded this one, e.g. a merge). */
  redactIds(args: { ids: string[] }): Promise<number>;
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

/** One brand's mentions in one minute or hour, by sentiment (the wall's panels). */
export interface WallBucket {
  brand: string;
  /** Start of the minute or hour, ISO. */
  start: string;
  negative: number;
  neutral: number;
  positive: number;
  scoreSum: number;
}
export type WallSpan = 'minute' | 'hour';

/**
 * Roll-ups the wall reads instead of mentions: per brand, network, language
 * and minute (and hour, for 24 hours of trend), added in the same write as
 * the mentions (MentionStore.insertMany), once per stored mention (first
 * responses are in the report rollups: ReportStore).
 */
export interface WallRollupStore {
  /** Per-brand buckets in [from, to), summed over the given networks and languages (all when absent), oldest first; empty buckets are omitted. */
  series(args: { span: WallSpan; from: string; to: string; brands?: string[]; platforms?: string[]; langs?: string[] }): Promise<WallBucket[]>;
  /** Mentions waiting for an answer (status new), counted up to `cap`, and when the oldest of them was posted. */
  waiting(args: { cap: number }): Promise<{ count: number; oldestAt: string | null }>;
}

/** A mention linked to an investigation case, with what its chart needs. */
export interface InvestigationLink {
  caseId: string;
  mentionId: string;
  createdAt: string;
  sentiment: 'negative' | 'neutral' | 'positive';
  linkedAt: string;
}
/**
 * Mentions linked to investigation cases: many per case (every mention that
 * carries the topic), kept apart from Case.mentionIds and Mention.caseId, so
 * a mention can be in its customer case and in an investigation at once.
 */
export interface InvestigationStore {
  /** Links these mentions to the case; a mention already linked is left as it is. Returns how many were new. */
  link(args: { caseId: string; mentions: Array<Pick<InvestigationLink, 'mentionId' | 'createdAt' | 'sentiment'>>; at: string }): Promise<number>;
  /** The case's links, newest mention first; `before` (a createdAt and mentionId) pages to older ones. */
  list(args: { caseId: string; limit: number; before?: { createdAt: string; mentionId: string } }): Promise<InvestigationLink[]>;
  count(args: { caseId: string }): Promise<number>;
  /** The case's linked mentions per hour by sentiment, oldest first (its life on a chart); empty hours omitted. */
  series(args: { caseId: string }): Promise<Array<{ start: string; negative: number; neutral: number; positive: number }>>;
  /** Open or pending investigation cases, oldest first (what the pipeline attaches new mentions to). */
  openCases(args: { limit: number }): Promise<Case[]>;
}

/** A reply someone may answer: the author's next mention on that network is a feedback event (experience score). */
export interface FeedbackWait {
  /** `platform` NUL lower-case author handle. */
  key: string;
  repliedAt: string;
  mentionId: string;
  brand: string;
  network: string;
}

/**
 * Report rollups: counts and duration histograms per hour, day and week, for
 * each brand and network and for '*' (all), kept up to date at ingest and on
 * agent actions, so no report scans mentions.
 */
export interface ReportStore {
  /** Adds each increment to the rows of its dimension's grains in every slice (see expandIncrement). */
  add(args: { increments: ReportIncrement[] }): Promise<void>;
  /**
   * Rows of one dimension in [from, to) (periods of the grain whose start is
   * in it), summed over periods unless `byPeriod`. `brands` absent: the '*'
   * slice; given: those brands, each its own row. `network` absent: '*'.
   */
  sum(args: { grain: Grain; dim: ReportDim; from: string; to: string; brands?: string[]; network?: string; byPeriod: boolean; metrics?: string[] }): Promise<ReportRow[]>;
  /**
   * Takes these increments back out (an erasure: the words of the person's
   * negative mentions leave the topic rows); a row left at zero is deleted,
   * so a word nobody else used is gone from the store. Also a feedback
   * event revised by a correction leaves its old kind's row.
   */
  forget(args: { increments: ReportIncrement[] }): Promise<void>;
  /** Records (or refreshes) that this author was replied to. */
  awaitFeedback(args: { wait: FeedbackWait }): Promise<void>;
  /** Removes and returns the waits of these keys replied to at or after `since`; of two callers each wait goes to one. */
  takeFeedback(args: { keys: string[]; since: string }): Promise<FeedbackWait[]>;
  /** Keeps the feedback events counted on these mentions (the first one per mention; a repeat changes nothing). */
  noteFeedback(args: { events: FeedbackEvent[] }): Promise<void>;
  /**
   * Sets the kind and value of the event counted on this mention, in one
   * atomic step, and returns it as it was before (null: no event on it, and
   * nothing is stored). Of two revisions at once, each sees the other's or
   * the original, never the same one twice.
   */
  reviseFeedback(args: { mentionId: string; kind: FeedbackKind; value: number }): Promise<FeedbackEvent | null>;
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
  /**
   * Disables or enables a user. Disabling the last active admin is a
   * ConflictError, checked in the same write (two admins disabling each other
   * at once cannot leave none). NotFoundError for an unknown id.
   */
  setDisabled(args: { id: string; disabled: boolean }): Promise<User>;
  /** NotFoundError for an unknown id. */
  setPasswordHash(args: { id: string; passwordHash: string }): Promise<void>;
}

export interface Session {
  tokenHash: string;
  userId: string;
  expiresAt: string;
  /** Public id, safe to show and to revoke by; not derivable into the token. */
  id: string;
  createdAt: string;
  lastSeenAt: string;
  /** Address and user agent at sign-in, shown to the owner in their session list. */
  ip: string | null;
  userAgent: string | null;
}
export type NewSession = Pick<Session, 'tokenHash' | 'userId' | 'expiresAt'> & Partial<Pick<Session, 'id' | 'createdAt' | 'ip' | 'userAgent'>>;
export interface SessionStore {
  create(args: NewSession): Promise<void>;
  find(args: { tokenHash: string; now: string }): Promise<Session | null>;
  delete(args: { tokenHash: string }): Promise<void>;
  deleteExpired(args: { now: string }): Promise<number>;
  /** Records activity; `at` never moves lastSeenAt backwards. */
  touch(args: { tokenHash: string; at: string }): Promise<void>;
  /** A user's live sessions, newest first. */
  listByUser(args: { userId: string; now: string }): Promise<Session[]>;
  /** Removes one of this user's sessions by public id; null when it is not theirs or gone. */
  deleteById(args: { userId: string; id: string }): Promise<Session | null>;
  /** Removes every session of a user but `exceptId`; returns the removed sessions' ids. */
  deleteByUser(args: { userId: string; exceptId?: string }): Promise<string[]>;
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
  /** Privacy: replaces the case's title in the payloads of deliveries about it; returns how many changed. */
  redactCase(args: { caseId: string; title: string }): Promise<number>;
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
  /**
   * A page of active customers, newest first (by id), optionally only those whose
   * name or a handle contains `q` (case-insensitive); `cursor` is the previous page's `nextCursor`.
   */
  list(args: { q?: string; limit: number; cursor?: string }): Promise<{ items: Customer[]; nextCursor: string | null }>;
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
  /** Privacy: empties the text kept with corrections of these mentions; returns how many changed. */
  redactMentions(args: { mentionIds: string[] }): Promise<number>;
}

export interface AlertStore {
  create(args: { alert: Omit<import('./spikes.js').Alert, 'id' | 'version'> }): Promise<import('./spikes.js').Alert>;
  /**
   * Stores the alert unless one with the same `key` exists (a unique key in
   * the store, not a read before the write): of two runners raising the same
   * alert at once exactly one gets it back, the other gets null.
   */
  createOnce(args: { key: string; alert: Omit<import('./spikes.js').Alert, 'id' | 'version'> }): Promise<import('./spikes.js').Alert | null>;
  /** Newest first. */
  list(args: { brand?: string; since?: string; limit: number }): Promise<import('./spikes.js').Alert[]>;
}

/**
 * A named lease held by one process at a time (timed sweeps, connectors):
 * every change is a compare-and-set in the store, and an expired lease may be
 * taken by anyone, which is how a dead holder is replaced.
 */
export interface Lease {
  name: string;
  holder: string;
  /** When the holder took it (kept across renewals). */
  acquiredAt: string;
  expiresAt: string;
  /** Bumped on every acquire or renew: a fencing token. */
  version: number;
}
export interface LeaseStore {
  /** Takes the lease if it is free, expired, or already this holder's (then it is renewed); null if another holder has it. */
  acquire(args: { name: string; holder: string; ttlMs: number; now: string }): Promise<Lease | null>;
  /** Extends this holder's lease; null if it is no longer this holder's (taken over after expiry). */
  renew(args: { name: string; holder: string; ttlMs: number; now: string }): Promise<Lease | null>;
  /** Gives the lease up at once (a clean shutdown), so another holder need not wait for the expiry. False if not held. */
  release(args: { name: string; holder: string }): Promise<boolean>;
  /** Leases whose name starts with `prefix`, expired ones included, by name. */
  list(args: { prefix: string }): Promise<Lease[]>;
}

/** Atomic counters (case numbers): one increment in the store, never a read then a write. */
export interface CounterStore {
  /** Increments `name` and returns the new value; a counter that does not exist yet starts at `start` (+1 on this call). */
  next(args: { name: string; start: number }): Promise<number>;
}

export interface Store {
  readonly kind: string;
  mentions: MentionStore;
  rollups: RollupStore;
  wallRollups: WallRollupStore;
  investigations: InvestigationStore;
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
  reports: ReportStore;
  /**
   * Privacy: makes what was erased unrecoverable from the database's files
   * (SQLite: merges the text index so no segment keeps a deleted term, and
   * checkpoints and truncates the WAL; freed pages are zeroed by secure_delete).
   */
  scrub(): Promise<void>;
  leases: LeaseStore;
  counters: CounterStore;
  caseQueue: CaseQueueStore;
  notices: NoticeStore;
  savedViews: SavedViewStore;
  /** A real round trip to the database (health): resolves when it answers, rejects when it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

import type { RawMention } from './raw-mention.js';

/**
 * Queue names and job payloads. Renaming a queue or changing a payload strands
 * jobs already waiting in Redis under the old name: add a new name and drain
 * the old one instead.
 */
export const QUEUES = {
  ingest: 'hark.ingest.v1',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface IngestJob {
  /** Connector or import that produced the batch, for logs and health. */
  source: string;
  mentions: RawMention[];
}

export interface JobPayloads {
  'hark.ingest.v1': IngestJob;
}


export interface StoredMentionsEvent {
  mentions: import('./mention.js').Mention[];
}
export interface TopicPayloads {
  'mentions.stored': StoredMentionsEvent;
  'mentions.updated': StoredMentionsEvent;
  'case.created': { case: import('./case.js').Case };
  'case.updated': { case: import('./case.js').Case };
  'reply.updated': { reply: import('./reply.js').Reply };
  'team.notice': import('./events.js').TeamNotice;
  /** A notice stored for one user: every API process sends it to that user's sockets. */
  'notice.created': { notice: import('./notice.js').Notice };
  'alert.raised': { alert: import('./spikes.js').Alert };
  /** A brand's learned model was saved: processes that score reload it. */
  'model.updated': { kind: 'sentiment' | 'intent'; brand: string | null };
  /** Who one API process sees in a mention or case room, so agents connected to other API processes see them too. */
  'presence.shared': { origin: string; room: string; viewers: import('./events.js').PresenceViewer[]; at: string };
  /** Sessions ended (sign-out, revoked, password changed, user disabled): every API process closes their sockets. */
  'sessions.ended': { userId: string; sessionIds: string[]; reason: 'signed_out' | 'revoked' | 'password_changed' | 'signed_out_everywhere' | 'disabled' };
  /** A user's role, teams or state changed: open sockets pick it up (team rooms, role-gated rooms; disabled: closed). */
  'user.changed': { user: import('./auth.js').User };
  /** A file import's progress, for every API process's sockets. */
  'import.progress': import('./events.js').ImportProgress;
  /** Network settings, credentials or listening queries changed: the process running connectors reloads them. */
  'networks.changed': { at: string };
}
export type Topic = keyof TopicPayloads;

/** Workers publish on the bus; only the API process turns topics into socket events. */
export interface EventBus {
  publish<T extends Topic>(topic: T, payload: TopicPayloads[T]): void;
  subscribe<T extends Topic>(topic: T, handler: (payload: TopicPayloads[T]) => void): () => void;
  close(): Promise<void>;
}

export type Processor<Q extends QueueName> = (job: JobPayloads[Q]) => Promise<void>;

export interface QueueStats {
  waiting: number;
  active: number;
  /** Waiting for a retry (backoff, or a rate limit's reset). */
  delayed: number;
  deadLetters: number;
  /** Age of the oldest job still waiting to start, null when none waits. */
  oldestWaitingAgeMs: number | null;
}

/** A job kept aside after failing for good (bad data, or retries used up): admins see it and can run it again. */
export interface DeadLetter {
  id: string;
  queue: QueueName;
  /** `bad_data` (no retry), or `exhausted` (transient or rate-limited failures past the last attempt). */
  kind: 'bad_data' | 'exhausted';
  error: string;
  attempts: number;
  failedAt: string;
  /** What the job carried, cut short for display. */
  summary: string;
}

/** The queue port: the inline adapter runs jobs in-process, the BullMQ adapter on Redis. */
export interface QueuePort {
  /** Resolves when the job is accepted; waits while the queue is full (backpressure). */
  add<Q extends QueueName>(queue: Q, job: JobPayloads[Q]): Promise<void>;
  /**
   * Resolves once the job cannot be lost: done by its processor (in-process
   * queue) or persisted in Redis (BullMQ). Rejects if the in-process job
   * finally fails. Connectors save their cursors only after this.
   */
  addDurable<Q extends QueueName>(queue: Q, job: JobPayloads[Q]): Promise<void>;
  process<Q extends QueueName>(queue: Q, processor: Processor<Q>): void;
  /** Resolves when every job added so far has finished. */
  drain(): Promise<void>;
  /** Counts for health (all queues); rejects when the queue's backend does not answer. */
  stats(): Promise<QueueStats>;
  /** A round trip to the backend (Redis PING); resolves at once in process. */
  ping(): Promise<void>;
  /** Jobs that failed for good, newest first. */
  deadLetters(args: { limit: number }): Promise<DeadLetter[]>;
  /** Puts a dead letter back on its queue (after a fix); false if there is no such dead letter. */
  retryDeadLetter(args: { id: string }): Promise<boolean>;
  close(): Promise<void>;
}

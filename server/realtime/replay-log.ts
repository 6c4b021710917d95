/**
 * The replay log: one numbered sequence of the events a room's clients must
 * not miss, shared by every API process (Redis stream in distributed mode, a
 * memory array in embedded mode). Producers append; every API process tails
 * it and sends each entry to its sockets as one message; a client that comes
 * back with its last seq is sent the entries after it, from any API process.
 * Bounded in bytes (and entries): the oldest go first.
 */
export type LogEvent = 'mention.created' | 'mention.updated' | 'mentions.summary';

export interface LogEntry {
  seq: number;
  event: LogEvent;
  /** The event's payload without epoch and seq (those are the log's). */
  payload: string;
}

export interface ReadResult {
  /** The log's life: it changes only when the log itself was lost (Redis emptied, process restarted in embedded mode). */
  epoch: string;
  /** The last seq appended. */
  head: number;
  /** Entries after the asked seq, oldest first; null when some of them were trimmed (or the seq was never given out). */
  entries: LogEntry[] | null;
}

export interface ReplayLogLimits {
  maxBytes: number;
  maxEntries: number;
}

export interface ReplayLog {
  /** Appends one entry and returns its seq (the next one in the whole deployment). */
  append(event: LogEvent, payload: string): Promise<number>;
  /** Entries with `after < seq <= upTo` (upTo defaults to the head), at most `limit`. */
  readSince(after: number, opts?: { upTo?: number; limit?: number }): Promise<ReadResult>;
  /** Drops the oldest entries until the log is within its limits; appends do this too. */
  trim(): Promise<void>;
  /** Resolves when an entry after `seq` exists, or after `ms`. */
  waitAfter(seq: number, ms: number): Promise<void>;
  close(): Promise<void>;
}

/** Bytes an entry counts for against the bound: what it weighs in the log and on the wire. */
export const entryBytes = (payload: string) => Buffer.byteLength(payload) + 32;

/**
 * What a connector may ask of the server besides the ingest sink: saved
 * cursors, a place to report its health, and (for replies) nothing more than
 * its own network client. Types only; the server provides the adapters.
 */

export interface CursorStore {
  get(args: { connectorId: string; key: string }): Promise<string | null>;
  /** Called only after the mentions fetched up to this cursor were accepted by the sink. */
  set(args: { connectorId: string; key: string; value: string }): Promise<void>;
}

export type ConnectorState = 'starting' | 'ok' | 'degraded' | 'rate_limited' | 'error' | 'stopped';

export interface ConnectorHealth {
  connectorId: string;
  platform: string;
  state: ConnectorState;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  /** How far behind the newest fetched post is, in ms, at the last poll. */
  lagMs: number | null;
  rateLimit: { remaining: number | null; resetAt: string | null } | null;
  /** Monthly read budget, where the network's plan has one. */
  budget: { used: number; cap: number; periodEnd: string } | null;
  /** The live connection, for connectors that stream. */
  stream: { connected: boolean; reconnects: number; lastConnectedAt: string | null } | null;
  fetched: number;
  errors: number;
  /** Whether this connector can post replies, and with what (absent where the network has no such question). */
  replies?: ReplyStatus;
}

/** Can replies be posted, and how; `problem` says what to do when they cannot. */
export interface ReplyStatus {
  authorised: boolean;
  /** e.g. `oauth2-user`, `oauth1-user`. */
  via: string | null;
  problem: string | null;
}

export interface HealthReporter {
  /** Merges the given fields into the connector's health. */
  report(patch: Partial<Omit<ConnectorHealth, 'connectorId' | 'platform'>>): void;
}

export interface ReplyRequest {
  /** The network's id of the post being answered. */
  inReplyToExternalId: string;
  /** Handle of the author being answered (some networks need it in the text). */
  authorHandle: string;
  text: string;
  /** Same key, same reply: a connector must not post twice for one key. */
  idempotencyKey: string;
}

export interface ReplyResult {
  externalId: string;
  url: string | null;
}

/** What a sender asks a network before posting a reply again after an attempt whose outcome was lost. */
export interface FindReplyQuery {
  inReplyToExternalId: string;
  /** The thread, where the network has one (X's conversation_id). */
  conversationId: string | null;
  text: string;
  idempotencyKey: string;
  /** The earliest time the lost attempt can have posted it. */
  since: string;
}

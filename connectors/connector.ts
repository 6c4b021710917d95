import type { CursorStore, FindReplyQuery, HealthReporter, ReplyRequest, ReplyResult, ReplyStatus } from '../shared/connector-ports.js';
import type { Logger } from '../shared/log.js';
import type { RawMention } from '../shared/raw-mention.js';

/**
 * Hands a batch to the pipeline. Resolves once the batch is accepted, so a
 * connector that awaits it is slowed down when the pipeline is behind.
 */
export type IngestSink = (batch: RawMention[]) => Promise<void>;

export interface ConnectorContext {
  sink: IngestSink;
  signal: AbortSignal;
  log: Logger;
  /** Saved positions (since_id, fullnames…); absent for connectors that need none. */
  cursors?: CursorStore;
  health?: HealthReporter;
}

/** One module per network behind this interface; a connector imports shared/ only. */
export interface Connector {
  /** Stable id for logs, health and cursors, e.g. "simulator" or "x:acme". */
  readonly id: string;
  readonly platform: string;
  /** Runs until `signal` aborts; resolves then. Throws only on unrecoverable setup errors. */
  run(ctx: ConnectorContext): Promise<void>;
  /** Posts a reply on the network, for connectors that can. */
  reply?(req: ReplyRequest): Promise<ReplyResult>;
  /**
   * Looks on the network for a reply already posted (by the brand's account,
   * under that post, with that text, since then): the post, or null when the
   * network shows none. Throws when the network cannot tell. Without it, a
   * reply whose attempt was lost cannot be reconciled.
   */
  findReply?(q: FindReplyQuery): Promise<ReplyResult | null>;
  /** Whether `reply` can work now (e.g. X without user context cannot); absent means it can. */
  replyStatus?(): ReplyStatus;
}

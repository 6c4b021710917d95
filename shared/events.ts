import { z } from 'zod';
import type { Mention } from './mention.js';
import type { RollupBucket } from './store.js';

/** Bump when an event's shape changes; clients on another version are told to reload. */
export const PROTOCOL_VERSION = 2;

export const ROOMS = ['queue', 'wall', 'cases', 'imports'] as const;
/** Fixed rooms, or one mention's or case's room (`mention:42`, `case:7`) for presence and detail views. */
export const RoomSchema = z.union([z.enum(ROOMS), z.string().regex(/^(mention|case):\d{1,18}$/, 'room must be queue, wall, cases, mention:<id> or case:<id>')]);
export type Room = (typeof ROOMS)[number] | `mention:${string}` | `case:${string}`;

/**
 * What a client sends in the socket handshake (`auth`): a client of another
 * protocol is refused with `connect_error` whose message is
 * `PROTOCOL_MISMATCH` and whose `data` is a ProtocolMismatch: reload the page.
 */
export const HandshakeSchema = z.object({ protocol: z.number().int() });
export const PROTOCOL_MISMATCH = 'protocol_mismatch';
export interface ProtocolMismatch {
  server: number;
  client: number | null;
  action: 'reload';
}

/**
 * High-rate events are batched: one `mention.created` carries every mention
 * stored in the last flush window. `seq` numbers the batches in one sequence
 * shared by every API process (the replay log's); `epoch` names the log's life
 * so a client can tell a lost log from a gap.
 */
export interface MentionBatch {
  epoch: string;
  seq: number;
  mentions: Mention[];
}

/**
 * In place of the mentions of a burst (more than the configured rate) or of a
 * batch too large for one socket message: "N new mentions, refresh".
 * Numbered like the batches it replaces.
 */
export interface MentionSummary {
  epoch: string;
  seq: number;
  kind: 'created' | 'updated';
  count: number;
  reason: 'burst' | 'too_large';
}

/** A file import in progress, about once a second and once when done; its mentions are not sent one by one. */
export interface ImportProgress {
  importId: string;
  by: { id: string; name: string } | null;
  platform: string;
  /** Rows read so far (stored + duplicates + rejected). */
  rows: number;
  stored: number;
  duplicates: number;
  errors: number;
  /** Rows per second since the start. */
  rate: number;
  done: boolean;
  /** Set when the import stopped on an error (the file was cut off, too large, ...). */
  failed: string | null;
  startedAt: string;
  ms: number;
}

export interface WallTick {
  at: string;
  /** The last 60 minutes, oldest first. */
  buckets: RollupBucket[];
}

export interface SyncReset {
  epoch: string;
  seq: number;
  reason: 'epoch_changed' | 'too_far_behind';
}

export interface JoinAck {
  ok: boolean;
  protocol: number;
  epoch: string;
  /** The sequence number the client is now at (after any replay). */
  seq: number;
  replayed: number;
  error?: string;
}

export const JoinSchema = z.object({
  room: RoomSchema,
  epoch: z.string().max(64).optional(),
  lastSeq: z.number().int().min(0).optional(),
});
export type JoinRequest = z.infer<typeof JoinSchema>;

export interface PresenceViewer {
  userId: string;
  name: string;
  typing: boolean;
}
export interface PresenceUpdate {
  room: string;
  viewers: PresenceViewer[];
}

export const PresenceSchema = z.object({ room: RoomSchema, typing: z.boolean().default(false) }).strict();

/** A message for everyone in a team (an SLA breach handed to them, say). */
export interface TeamNotice {
  team: string;
  message: string;
  caseId: string | null;
  at: string;
}

export interface ServerToClientEvents {
  'team.notice': (notice: TeamNotice) => void;
  /** To the user's own sockets only: an entry of their notices inbox. */
  'notice.created': (msg: { notice: import('./notice.js').Notice }) => void;
  'alert.raised': (msg: { alert: import('./spikes.js').Alert }) => void;
  'mention.created': (batch: MentionBatch) => void;
  /** Same numbering as mention.created: one sequence for everything the queue shows. */
  'mention.updated': (batch: MentionBatch) => void;
  'case.created': (msg: { case: import('./case.js').Case }) => void;
  'case.updated': (msg: { case: import('./case.js').Case }) => void;
  'reply.updated': (msg: { reply: import('./reply.js').Reply }) => void;
  'presence.update': (msg: PresenceUpdate) => void;
  'wall.tick': (tick: WallTick) => void;
  'sync.reset': (reset: SyncReset) => void;
  'mentions.summary': (summary: MentionSummary) => void;
  'import.progress': (progress: ImportProgress) => void;
}

export interface ClientToServerEvents {
  'room.join': (req: JoinRequest, ack: (res: JoinAck) => void) => void;
  'room.leave': (req: { room: Room }) => void;
  /** "I am viewing (and maybe typing in) this mention or case"; leave the room to stop. */
  'presence.set': (req: z.input<typeof PresenceSchema>) => void;
}

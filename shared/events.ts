import { z } from 'zod';
import type { Mention } from './mention.js';
import type { RollupBucket } from './store.js';

/** Bump when an event's shape changes; clients on another version are told to reload. */
export const PROTOCOL_VERSION = 1;

export const ROOMS = ['queue', 'wall'] as const;
export const RoomSchema = z.enum(ROOMS);
export type Room = z.infer<typeof RoomSchema>;

/**
 * High-rate events are batched: one `mention.created` carries every mention
 * stored in the last flush window. `seq` numbers the batches; `epoch` names the
 * server's life so a client can tell a restart from a gap.
 */
export interface MentionBatch {
  epoch: string;
  seq: number;
  mentions: Mention[];
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

export interface ServerToClientEvents {
  'mention.created': (batch: MentionBatch) => void;
  'wall.tick': (tick: WallTick) => void;
  'sync.reset': (reset: SyncReset) => void;
}

export interface ClientToServerEvents {
  'room.join': (req: JoinRequest, ack: (res: JoinAck) => void) => void;
  'room.leave': (req: { room: Room }) => void;
}

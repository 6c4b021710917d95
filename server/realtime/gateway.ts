import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { User } from '../../shared/auth.js';
import { JoinSchema, PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../shared/events.js';
import type { Logger } from '../../shared/log.js';
import type { Mention } from '../../shared/mention.js';
import type { EventBus } from '../../shared/queues.js';
import type { Store } from '../../shared/store.js';
import { readCookie, SESSION_COOKIE, type SessionService } from '../auth/sessions.js';
import { ReplayBuffer } from './replay-buffer.js';

interface SocketData {
  user: User;
}
type HarkSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface Gateway {
  io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  epoch: string;
  close(): Promise<void>;
}

/**
 * The only place that emits to sockets. Stored mentions arrive on the bus and
 * go out batched every `batchMs`, numbered, so a reconnecting client can be
 * replayed what it missed with no gap and no duplicate.
 */
export function createGateway(deps: {
  http: HttpServer;
  bus: EventBus;
  sessions: SessionService;
  store: Store;
  log: Logger;
  batchMs: number;
  replayBatches: number;
  wallTickMs?: number;
  now?: () => Date;
}): Gateway {
  const now = deps.now ?? (() => new Date());
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(deps.http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
  });
  const epoch = randomBytes(6).toString('base64url');
  const replay = new ReplayBuffer(deps.replayBatches);
  let seq = 0;
  let pending: Mention[] = [];

  io.use((socket, next) => {
    deps.sessions
      .resolve(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE))
      .then((user) => {
        if (!user) return next(new Error('unauthorized'));
        socket.data.user = user;
        next();
      })
      .catch((err: unknown) => {
        deps.log.error('socket auth failed', { err });
        next(new Error('unavailable'));
      });
  });

  io.on('connection', (socket: HarkSocket) => {
    socket.on('room.join', (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = JoinSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, protocol: PROTOCOL_VERSION, epoch, seq, replayed: 0, error: parsed.error.issues[0]?.message ?? 'invalid join' });
        return;
      }
      const { room, epoch: theirEpoch, lastSeq } = parsed.data;
      // Joining and replaying happen in one tick: no flush can fall between them.
      void socket.join(room);
      let replayed = 0;
      if (room === 'queue' && theirEpoch !== undefined && lastSeq !== undefined) {
        const missed = theirEpoch === epoch ? replay.since(lastSeq, seq) : null;
        if (missed === null) {
          socket.emit('sync.reset', { epoch, seq, reason: theirEpoch === epoch ? 'too_far_behind' : 'epoch_changed' });
        } else {
          for (const b of missed) socket.emit('mention.created', b);
          replayed = missed.length;
        }
      }
      reply({ ok: true, protocol: PROTOCOL_VERSION, epoch, seq, replayed });
    });
    socket.on('room.leave', (raw) => {
      const parsed = JoinSchema.pick({ room: true }).safeParse(raw);
      if (parsed.success) void socket.leave(parsed.data.room);
    });
  });

  const unsubscribe = deps.bus.subscribe('mentions.stored', ({ mentions }) => {
    for (const m of mentions) pending.push(m);
  });

  const flush = () => {
    if (pending.length === 0) return;
    const batch = { epoch, seq: ++seq, mentions: pending };
    pending = [];
    replay.push(batch);
    io.to(['queue', 'wall']).emit('mention.created', batch);
  };
  const flushTimer = setInterval(flush, deps.batchMs);

  const tick = async () => {
    if ((io.sockets.adapter.rooms.get('wall')?.size ?? 0) === 0) return;
    const to = now();
    const buckets = await deps.store.rollups.series({
      from: new Date(to.getTime() - 60 * 60_000).toISOString(),
      to: new Date(to.getTime() + 60_000).toISOString(),
    });
    io.to('wall').emit('wall.tick', { at: to.toISOString(), buckets });
  };
  const tickTimer = setInterval(() => tick().catch((err: unknown) => deps.log.error('wall tick failed', { err })), deps.wallTickMs ?? 5000);

  return {
    io,
    epoch,
    async close() {
      clearInterval(flushTimer);
      clearInterval(tickTimer);
      unsubscribe();
      flush();
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}

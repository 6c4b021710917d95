import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { User } from '../../shared/auth.js';
import { JoinSchema, PresenceSchema, PROTOCOL_VERSION, type ClientToServerEvents, type PresenceViewer, type ServerToClientEvents } from '../../shared/events.js';
import type { Logger } from '../../shared/log.js';
import type { Mention } from '../../shared/mention.js';
import type { EventBus } from '../../shared/queues.js';
import type { Store } from '../../shared/store.js';
import { readCookie, SESSION_COOKIE, type SessionService } from '../auth/sessions.js';
import { mergeViewers, PresenceRegistry } from './presence.js';
import { ReplayBuffer } from './replay-buffer.js';
import { replayTooLong, roomCapReached } from './socket-sessions.js';

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
  /** Refuses handshakes from other origins (server/realtime/socket-sessions.ts). */
  allowRequest?: ServerOptions['allowRequest'];
}): Gateway {
  const now = deps.now ?? (() => new Date());
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(deps.http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    ...(deps.allowRequest ? { allowRequest: deps.allowRequest } : {}),
  });
  const epoch = randomBytes(6).toString('base64url');
  const replay = new ReplayBuffer(deps.replayBatches);
  let seq = 0;
  let pending: Mention[] = [];
  // Several changes to one mention inside a window go out once, as its latest version.
  let pendingUpdates = new Map<string, Mention>();
  const presence = new PresenceRegistry();
  // Viewers other API processes report, by process and room; re-announced every 20 s and forgotten after 60 s.
  const remote = new Map<string, Map<string, { viewers: PresenceViewer[]; at: number }>>();
  const REMOTE_TTL_MS = 60_000;

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
    // Team rooms come from the user's teams, never from the client.
    for (const team of socket.data.user.teams) void socket.join(`team:${team}`);
    socket.on('room.join', (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = JoinSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, protocol: PROTOCOL_VERSION, epoch, seq, replayed: 0, error: parsed.error.issues[0]?.message ?? 'invalid join' });
        return;
      }
      const { room, epoch: theirEpoch, lastSeq } = parsed.data;
      if (roomCapReached(socket, room)) {
        reply({ ok: false, protocol: PROTOCOL_VERSION, epoch, seq, replayed: 0, error: 'too_many_rooms: leave a room first' });
        return;
      }
      // Joining and replaying happen in one tick: no flush can fall between them.
      void socket.join(room);
      let replayed = 0;
      if (room === 'queue' && theirEpoch !== undefined && lastSeq !== undefined) {
        const missed = theirEpoch === epoch && !replayTooLong(lastSeq, seq) ? replay.since(lastSeq, seq) : null;
        if (missed === null) {
          socket.emit('sync.reset', { epoch, seq, reason: theirEpoch === epoch ? 'too_far_behind' : 'epoch_changed' });
        } else {
          for (const e of missed) socket.emit(e.event, e.batch);
          replayed = missed.length;
        }
      }
      reply({ ok: true, protocol: PROTOCOL_VERSION, epoch, seq, replayed });
    });
    socket.on('room.leave', (raw) => {
      const parsed = JoinSchema.pick({ room: true }).safeParse(raw);
      if (!parsed.success) return;
      void socket.leave(parsed.data.room);
      if (presence.remove(socket.id, parsed.data.room)) emitPresence(parsed.data.room);
    });
    socket.on('presence.set', (raw) => {
      const parsed = PresenceSchema.safeParse(raw);
      if (!parsed.success || !/^(mention|case):/.test(parsed.data.room)) return;
      const { room, typing } = parsed.data;
      if (roomCapReached(socket, room)) return;
      void socket.join(room);
      if (presence.set(socket.id, room, { userId: socket.data.user.id, name: socket.data.user.name, typing })) emitPresence(room);
    });
    socket.on('disconnect', () => {
      for (const room of presence.removeSocket(socket.id)) emitPresence(room);
    });
  });

  /** This process's viewers and the fresh ones other API processes reported, one entry per user. */
  const viewersOf = (room: string): PresenceViewer[] => {
    const fresh = Date.now() - REMOTE_TTL_MS;
    const elsewhere = [...remote.values()].flatMap((rooms) => {
      const r = rooms.get(room);
      return r && r.at >= fresh ? r.viewers : [];
    });
    return mergeViewers([...presence.viewers(room), ...elsewhere]);
  };
  const share = (room: string) => deps.bus.publish('presence.shared', { origin: epoch, room, viewers: presence.viewers(room), at: now().toISOString() });
  const emitPresence = (room: string) => {
    io.to(room).emit('presence.update', { room, viewers: viewersOf(room) });
    share(room);
  };

  const unsubscribers = [
    deps.bus.subscribe('mentions.stored', ({ mentions }) => {
      for (const m of mentions) pending.push(m);
    }),
    deps.bus.subscribe('mentions.updated', ({ mentions }) => {
      for (const m of mentions) pendingUpdates.set(m.id, m);
    }),
    deps.bus.subscribe('case.created', (msg) => io.to(['cases', `case:${msg.case.id}`]).emit('case.created', msg)),
    deps.bus.subscribe('case.updated', (msg) => io.to(['cases', `case:${msg.case.id}`]).emit('case.updated', msg)),
    deps.bus.subscribe('reply.updated', (msg) => io.to(['queue', `mention:${msg.reply.mentionId}`]).emit('reply.updated', msg)),
    deps.bus.subscribe('team.notice', (notice) => io.to(`team:${notice.team}`).emit('team.notice', notice)),
    deps.bus.subscribe('alert.raised', (msg) => io.to(['queue', 'wall']).emit('alert.raised', msg)),
    deps.bus.subscribe('presence.shared', (msg) => {
      if (msg.origin === epoch) return; // our own announcement, back from the bus
      let rooms = remote.get(msg.origin);
      if (!rooms) remote.set(msg.origin, (rooms = new Map()));
      if (msg.viewers.length) rooms.set(msg.room, { viewers: msg.viewers, at: Date.now() });
      else rooms.delete(msg.room);
      io.to(msg.room).emit('presence.update', { room: msg.room, viewers: viewersOf(msg.room) });
    }),
  ];
  // Re-announce who is here, so other processes keep (and a restarted one learns) our viewers; silence means gone.
  const presenceTimer = setInterval(() => {
    for (const room of presence.occupiedRooms()) share(room);
    const stale = Date.now() - REMOTE_TTL_MS;
    for (const [origin, rooms] of remote) {
      for (const [room, r] of rooms) if (r.at < stale) rooms.delete(room);
      if (rooms.size === 0) remote.delete(origin);
    }
  }, REMOTE_TTL_MS / 3);
  presenceTimer.unref();

  const flush = () => {
    if (pending.length > 0) {
      const batch = { epoch, seq: ++seq, mentions: pending };
      pending = [];
      replay.push({ event: 'mention.created', batch });
      io.to(['queue', 'wall']).emit('mention.created', batch);
    }
    if (pendingUpdates.size > 0) {
      const batch = { epoch, seq: ++seq, mentions: [...pendingUpdates.values()] };
      pendingUpdates = new Map();
      replay.push({ event: 'mention.updated', batch });
      io.to('queue').emit('mention.updated', batch);
      for (const m of batch.mentions) io.to(`mention:${m.id}`).except('queue').emit('mention.updated', { epoch, seq: batch.seq, mentions: [m] });
    }
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
      clearInterval(presenceTimer);
      for (const u of unsubscribers) u();
      flush();
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}

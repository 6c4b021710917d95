import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { User } from '../../shared/auth.js';
import { JoinSchema, PresenceSchema, PROTOCOL_VERSION, type ClientToServerEvents, type PresenceViewer, type ServerToClientEvents } from '../../shared/events.js';
import type { Logger } from '../../shared/log.js';
import type { EventBus } from '../../shared/queues.js';
import type { Store } from '../../shared/store.js';
import { readCookie, SESSION_COOKIE, type SessionService } from '../auth/sessions.js';
import { mergeViewers, PresenceRegistry } from './presence.js';
import { checkProtocol } from './protocol-check.js';
import { startQueueFeed } from './queue-feed.js';
import type { ReplayLog } from './replay-log.js';
import { roomCapReached } from './socket-sessions.js';

interface SocketData {
  user: User;
}
type HarkSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface Gateway {
  io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  /** The replay log's epoch and the last seq this process sent. */
  position(): { epoch: string; seq: number };
  close(): Promise<void>;
}

/**
 * The only place that emits to sockets. Mentions come from the shared replay
 * log (queue-feed.ts: batched and numbered by their producers), so a client
 * reconnecting to any API process is replayed what it missed with no gap and
 * no duplicate; other events come from the bus.
 */
export function createGateway(deps: {
  http: HttpServer;
  bus: EventBus;
  sessions: SessionService;
  store: Store;
  log: Logger;
  replayLog: ReplayLog;
  maxMessageBytes: number;
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
  const feed = startQueueFeed({ io, log: deps.replayLog, logger: deps.log, maxMessageBytes: deps.maxMessageBytes });
  // Names this process in presence announcements on the bus.
  const origin = randomBytes(6).toString('base64url');
  const presence = new PresenceRegistry();
  // Viewers other API processes report, by process and room; re-announced every 20 s and forgotten after 60 s.
  const remote = new Map<string, Map<string, { viewers: PresenceViewer[]; at: number }>>();
  const REMOTE_TTL_MS = 60_000;

  io.use(checkProtocol);
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
    // The user's own room, for their notices; joined by the server, never asked for by the client.
    void socket.join(`user:${socket.data.user.id}`);
    socket.on('room.join', (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = JoinSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, protocol: PROTOCOL_VERSION, ...feed.position(), replayed: 0, error: parsed.error.issues[0]?.message ?? 'invalid join' });
        return;
      }
      const { room, epoch: theirEpoch, lastSeq } = parsed.data;
      if (roomCapReached(socket, room)) {
        reply({ ok: false, protocol: PROTOCOL_VERSION, ...feed.position(), replayed: 0, error: 'too_many_rooms: leave a room first' });
        return;
      }
      if (room === 'queue' && theirEpoch !== undefined && lastSeq !== undefined) {
        feed.resume(socket, theirEpoch, lastSeq).then(
          (r) => reply({ ok: true, protocol: PROTOCOL_VERSION, ...r }),
          (err: unknown) => {
            deps.log.error('replay failed', { err });
            reply({ ok: false, protocol: PROTOCOL_VERSION, ...feed.position(), replayed: 0, error: 'replay unavailable, try again' });
          },
        );
        return;
      }
      void socket.join(room);
      reply({ ok: true, protocol: PROTOCOL_VERSION, ...feed.position(), replayed: 0 });
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
  const share = (room: string) => deps.bus.publish('presence.shared', { origin, room, viewers: presence.viewers(room), at: now().toISOString() });
  const emitPresence = (room: string) => {
    io.to(room).emit('presence.update', { room, viewers: viewersOf(room) });
    share(room);
  };

  const unsubscribers = [
    deps.bus.subscribe('import.progress', (p) => io.to(['queue', 'imports']).emit('import.progress', p)),
    deps.bus.subscribe('case.created', (msg) => io.to(['cases', `case:${msg.case.id}`]).emit('case.created', msg)),
    deps.bus.subscribe('case.updated', (msg) => io.to(['cases', `case:${msg.case.id}`]).emit('case.updated', msg)),
    deps.bus.subscribe('reply.updated', (msg) => io.to(['queue', `mention:${msg.reply.mentionId}`]).emit('reply.updated', msg)),
    deps.bus.subscribe('team.notice', (notice) => io.to(`team:${notice.team}`).emit('team.notice', notice)),
    deps.bus.subscribe('notice.created', (msg) => io.to(`user:${msg.notice.userId}`).emit('notice.created', msg)),
    deps.bus.subscribe('alert.raised', (msg) => io.to(['queue', 'wall']).emit('alert.raised', msg)),
    deps.bus.subscribe('presence.shared', (msg) => {
      if (msg.origin === origin) return; // our own announcement, back from the bus
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
    position: feed.position,
    async close() {
      clearInterval(tickTimer);
      clearInterval(presenceTimer);
      for (const u of unsubscribers) u();
      await feed.close();
      await new Promise<void>((r) => io.close(() => r()));
    },
  };
}

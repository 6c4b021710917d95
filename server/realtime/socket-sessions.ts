import type { IncomingMessage } from 'node:http';
import type { Server, Socket } from 'socket.io';
import type { User } from '../../shared/auth.js';
import type { Logger } from '../../shared/log.js';
import type { EventBus } from '../../shared/queues.js';
import { readCookie, SESSION_COOKIE, type LiveSession, type SessionService } from '../auth/sessions.js';
import { crossOriginReason, type OriginPolicy } from '../http/origin-check.js';
import { addSocketHeaders } from '../http/security-headers.js';

/** Rooms a client may ask for on one socket (queue, wall, cases and the mentions and cases it has open); team rooms come on top. */
export const MAX_CLIENT_ROOMS = 32;
/** Batches one join may replay; a client further behind refetches (sync.reset) instead of pulling the whole buffer. */
export const MAX_REPLAY_BATCHES = 200;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the gateway's typed server; only rooms, data.user and disconnect are used here
type AnyServer = Server<any, any, any, { user: User }>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySocket = Socket<any, any, any, { user: User }>;

/** Rooms this socket asked for (not its own id room, not the team and user rooms the server gives it). */
export const clientRooms = (socket: Pick<AnySocket, 'id' | 'rooms'>) => [...socket.rooms].filter((r) => r !== socket.id && !r.startsWith('team:') && !r.startsWith('user:')).length;

/** True when one more client room would pass the cap (rooms the socket is already in cost nothing). */
export const roomCapReached = (socket: Pick<AnySocket, 'id' | 'rooms'>, room: string) => !socket.rooms.has(room) && clientRooms(socket) >= MAX_CLIENT_ROOMS;

/** A join may replay at most MAX_REPLAY_BATCHES; beyond that the client is told to refetch. */
export const replayTooLong = (lastSeq: number, seq: number) => seq - lastSeq > MAX_REPLAY_BATCHES;

/** Rooms a role may be in. Every fixed room is open to every role today; team rooms follow the user's teams. */
const mayStayIn = (user: User, room: string) => !room.startsWith('team:') || user.teams.includes(room.slice('team:'.length));

/**
 * Socket ↔ session bookkeeping for one API process. A session's sockets end
 * when it ends (sign-out, revoke, password change, expiry) or its user is
 * disabled; a role or team change reaches the user's open sockets. The ends
 * arrive over the bus, so a sign-out on one API process closes sockets on all
 * of them; a periodic re-check against the store covers a lost bus message.
 */
export function trackSocketSessions(deps: { bus: EventBus; sessions: SessionService; origins: OriginPolicy; log: Logger; now: () => Date; recheckMs?: number }) {
  const bySession = new Map<string, Set<AnySocket>>();
  const byUser = new Map<string, Set<AnySocket>>();
  const info = new WeakMap<AnySocket, { session: LiveSession['session']; timer: NodeJS.Timeout | null }>();
  const unsubscribers: Array<() => void> = [];
  let recheck: NodeJS.Timeout | null = null;

  const add = <K>(m: Map<K, Set<AnySocket>>, k: K, s: AnySocket) => {
    let set = m.get(k);
    if (!set) m.set(k, (set = new Set()));
    set.add(s);
  };
  const remove = <K>(m: Map<K, Set<AnySocket>>, k: K, s: AnySocket) => {
    const set = m.get(k);
    if (set?.delete(s) && set.size === 0) m.delete(k);
  };
  const end = (socket: AnySocket, reason: string) => {
    deps.log.info('socket closed: session ended', { userId: socket.data.user?.id, reason });
    socket.disconnect(true);
  };
  // setTimeout holds at most ~24.8 days; longer sessions are re-armed.
  const armExpiry = (socket: AnySocket) => {
    const i = info.get(socket);
    if (!i) return;
    const left = Date.parse(i.session.expiresAt) - deps.now().getTime();
    if (left <= 0) return end(socket, 'expired');
    i.timer = setTimeout(() => armExpiry(socket), Math.min(left, 2 ** 31 - 1));
    i.timer.unref();
  };
  const applyUser = (socket: AnySocket, user: User) => {
    if (user.disabled) return end(socket, 'disabled');
    socket.data.user = user;
    for (const room of socket.rooms) if (room !== socket.id && !mayStayIn(user, room)) void socket.leave(room);
    for (const team of user.teams) void socket.join(`team:${team}`);
  };

  return {
    /** engine.io's allowRequest: the handshake (polling or WebSocket) must come from the app's own origin. */
    allowRequest(req: IncomingMessage, cb: (err: string | null | undefined, ok: boolean) => void) {
      const reason = crossOriginReason(req, deps.origins);
      if (reason) deps.log.warn('socket refused: cross-origin', { origin: req.headers.origin, reason });
      cb(reason ? 'cross_origin' : null, !reason);
    },

    attach(io: AnyServer) {
      io.engine.on('initial_headers', addSocketHeaders);
      io.engine.on('headers', addSocketHeaders);
      // Runs after the gateway's own session check: learns which session the socket belongs to.
      io.use((socket, next) => {
        deps.sessions
          .resolveSession(readCookie(socket.handshake.headers.cookie, SESSION_COOKIE))
          .then((live) => {
            if (!live) return next(new Error('unauthorized'));
            info.set(socket, { session: live.session, timer: null });
            next();
          })
          .catch((err: unknown) => {
            deps.log.error('socket session lookup failed', { err });
            next(new Error('unavailable'));
          });
      });
      io.on('connection', (socket: AnySocket) => {
        const i = info.get(socket);
        if (!i) return void socket.disconnect(true);
        add(bySession, i.session.id, socket);
        add(byUser, i.session.userId, socket);
        armExpiry(socket);
        socket.on('disconnect', () => {
          if (i.timer) clearTimeout(i.timer);
          remove(bySession, i.session.id, socket);
          remove(byUser, i.session.userId, socket);
        });
      });
      unsubscribers.push(
        deps.bus.subscribe('sessions.ended', ({ sessionIds, reason }) => {
          for (const id of sessionIds) for (const s of [...(bySession.get(id) ?? [])]) end(s, reason);
        }),
        deps.bus.subscribe('user.changed', ({ user }) => {
          for (const s of [...(byUser.get(user.id) ?? [])]) applyUser(s, user);
        }),
      );
      // Belt and braces for a bus message lost in a Redis blip: every session with sockets is looked up again.
      recheck = setInterval(() => {
        for (const [id, sockets] of bySession) {
          const first = sockets.values().next().value;
          if (!first) continue;
          deps.sessions
            .resolveSession(readCookie(first.handshake.headers.cookie, SESSION_COOKIE))
            .then((live) => {
              if (!live || live.session.id !== id) for (const s of [...sockets]) end(s, 'session gone');
              else for (const s of [...sockets]) applyUser(s, live.user);
            })
            .catch((err: unknown) => deps.log.warn('socket session re-check failed', { err }));
        }
      }, deps.recheckMs ?? 60_000);
      recheck.unref();
    },

    /** Sockets open on this process, by session (tests and health). */
    openSockets: () => [...bySession.values()].reduce((n, s) => n + s.size, 0),

    close() {
      if (recheck) clearInterval(recheck);
      for (const u of unsubscribers.splice(0)) u();
    },
  };
}

import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, MentionBatch, MentionSummary, ServerToClientEvents, SyncReset } from '../../shared/events.js';
import type { Logger } from '../../shared/log.js';
import type { LogEntry, ReplayLog } from './replay-log.js';
import { replayTooLong } from './socket-sessions.js';

type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, unknown>;
type AnySocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, unknown>;

export interface QueueFeed {
  /** The log's epoch and the last seq this process has sent to its rooms. */
  position(): { epoch: string; seq: number };
  /**
   * Joins a socket to the queue room, first sending it every entry after
   * `lastSeq` (or a sync.reset when the log no longer reaches back). Returns
   * how many entries were replayed and the seq the socket is now at.
   */
  resume(socket: AnySocket, theirEpoch: string, lastSeq: number): Promise<{ replayed: number; epoch: string; seq: number }>;
  close(): Promise<void>;
}

// Entries per read: at most 64 × REALTIME_MAX_MESSAGE_KB in one Redis reply.
const READ_LIMIT = 64;

/**
 * The consuming side of the queue feed, in every API process: tails the
 * shared replay log and sends each entry, as one message with the log's seq,
 * to this process's queue (and wall, and mention) rooms.
 *
 * Exactly once per client: sending live entries (the tail) and replaying to a
 * joining socket run one at a time. A joining socket is replayed the entries
 * in (its lastSeq, position] and joins the room in the same turn; live sends
 * then carry entries after position only. A socket whose lastSeq is ahead of
 * this process (it came from a faster one) waits until the tail has caught up
 * with it. Replayed and live entries come from one log with one numbering,
 * whichever API process the client lands on.
 */
export function startQueueFeed(deps: { io: Io; log: ReplayLog; logger: Logger; maxMessageBytes: number }): QueueFeed {
  const { io, log } = deps;
  let epoch = '';
  let seq = 0;
  let closed = false;
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn);
    turn = run.catch(() => undefined);
    return run;
  };
  const caughtUp = new Set<() => void>();

  const events = (e: LogEntry): Array<['mention.created' | 'mention.updated', MentionBatch] | ['mentions.summary', MentionSummary]> => {
    // A producer with a larger cap (another version's config) must not break ours.
    if (e.payload.length > deps.maxMessageBytes && e.event !== 'mentions.summary') {
      const count = (e.payload.match(/"id":/g) ?? []).length;
      return [['mentions.summary', { epoch, seq: e.seq, kind: e.event === 'mention.created' ? 'created' : 'updated', count, reason: 'too_large' }]];
    }
    const body = JSON.parse(e.payload) as Record<string, unknown>;
    if (e.event === 'mentions.summary') return [['mentions.summary', { ...(body as Omit<MentionSummary, 'epoch' | 'seq'>), epoch, seq: e.seq }]];
    return [[e.event, { ...(body as Omit<MentionBatch, 'epoch' | 'seq'>), epoch, seq: e.seq }]];
  };

  const broadcast = (e: LogEntry) => {
    for (const [event, msg] of events(e)) {
      if (event === 'mentions.summary') io.to(['queue', 'wall']).emit(event, msg);
      else if (event === 'mention.created') io.to(['queue', 'wall']).emit(event, msg);
      else {
        io.to('queue').emit(event, msg);
        // A detail view outside the queue gets its own mention only.
        for (const m of msg.mentions) io.to(`mention:${m.id}`).except('queue').emit(event, { epoch, seq: msg.seq, mentions: [m] });
      }
    }
  };
  const reset = (reason: SyncReset['reason']) => io.to('queue').emit('sync.reset', { epoch, seq, reason });

  /** Sends what the log holds after `seq`; returns whether it is caught up. */
  const pump = async (): Promise<boolean> => {
    const r = await log.readSince(seq, { limit: READ_LIMIT });
    if (r.epoch !== epoch) {
      const first = epoch === '';
      epoch = r.epoch;
      seq = r.head;
      if (!first) reset('epoch_changed'); // the log was lost: everyone refetches
      return true;
    }
    if (r.entries === null) {
      // Trimmed faster than this process read it: its clients refetch.
      seq = r.head;
      reset('too_far_behind');
      return true;
    }
    for (const e of r.entries) {
      broadcast(e);
      seq = e.seq;
    }
    for (const f of caughtUp) f();
    return r.entries.length < READ_LIMIT;
  };

  void (async () => {
    while (!closed) {
      try {
        if (await inTurn(pump)) await log.waitAfter(seq, 1000);
      } catch (err) {
        if (closed) break;
        deps.logger.warn('replay log read failed; retrying', { err: err instanceof Error ? err.message : String(err) });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  })();

  return {
    position: () => ({ epoch, seq }),
    async resume(socket, theirEpoch, lastSeq) {
      // From an API process further ahead: wait (briefly) for this one's tail to reach it.
      const deadline = Date.now() + 5000;
      while (theirEpoch === epoch && lastSeq > seq && Date.now() < deadline && !closed) {
        await new Promise<void>((r) => {
          const f = () => {
            caughtUp.delete(f);
            r();
          };
          caughtUp.add(f);
          setTimeout(f, 200);
        });
      }
      return inTurn(async () => {
        if (epoch === '') await pump(); // the log was unreachable so far
        if (theirEpoch !== epoch) {
          socket.emit('sync.reset', { epoch, seq, reason: 'epoch_changed' });
          if (socket.connected) void socket.join('queue');
          return { replayed: 0, epoch, seq };
        }
        // Further behind than a socket may ask to be replayed: it refetches instead.
        const r = lastSeq <= seq && !replayTooLong(lastSeq, seq) ? await log.readSince(lastSeq, { upTo: seq }) : { entries: null };
        if (r.entries === null) socket.emit('sync.reset', { epoch, seq, reason: 'too_far_behind' });
        else for (const e of r.entries) for (const [event, msg] of events(e)) socket.emit(event as 'mention.created', msg as MentionBatch);
        // Gone while it waited: joining now would leave its id in the room.
        if (socket.connected) void socket.join('queue');
        return { replayed: r.entries?.length ?? 0, epoch, seq };
      });
    },
    async close() {
      // The tail stops at its next wake-up (at most a second); nothing is sent once the server closes.
      closed = true;
      for (const f of caughtUp) f();
    },
  };
}

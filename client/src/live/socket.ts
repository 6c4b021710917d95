import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_MISMATCH, PROTOCOL_VERSION, type ClientToServerEvents, type ImportProgress, type MentionBatch, type MentionSummary, type Room, type ServerToClientEvents } from '../../../shared/events.js';

export type HarkSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
/** `outdated`: the server speaks another protocol (it was upgraded): the page must reload. */
export type ConnState = 'connecting' | 'live' | 'reconnecting' | 'signed-out' | 'outdated';

/**
 * One socket for the app. It remembers the last batch it saw (epoch + seq) and
 * re-joins with them after a drop, so the server replays exactly what was
 * missed; a batch it has seen already is ignored, and an epoch change (server
 * restart) or a sync.reset tells views to refetch.
 */
export class Live {
  readonly socket: HarkSocket;
  private epoch: string | undefined;
  private seq = 0;
  private rooms = new Set<Room>();
  private stateListeners = new Set<(s: ConnState) => void>();
  private batchListeners = new Set<(kind: 'created' | 'updated', b: MentionBatch) => void>();
  private resetListeners = new Set<() => void>();
  private summaryListeners = new Set<(s: MentionSummary) => void>();
  private progressListeners = new Set<(p: ImportProgress) => void>();
  state: ConnState = 'connecting';

  constructor() {
    this.socket = io({ withCredentials: true, transports: ['websocket', 'polling'], autoConnect: false, auth: { protocol: PROTOCOL_VERSION } });
    this.socket.on('connect', () => {
      this.setState('live');
      for (const room of this.rooms) this.join(room);
    });
    this.socket.on('disconnect', (reason) => {
      if (reason !== 'io server disconnect') return this.setState('reconnecting');
      // The server closed us: our session ended (signed out elsewhere, revoked, disabled), unless that was a blip.
      void fetch('/api/auth/me', { credentials: 'same-origin' }).then(
        (r) => (r.status === 401 ? this.setState('signed-out') : (this.setState('reconnecting'), this.socket.connect())),
        () => this.setState('reconnecting'),
      );
    });
    this.socket.on('connect_error', (e) => this.setState(e.message === 'unauthorized' ? 'signed-out' : e.message === PROTOCOL_MISMATCH ? 'outdated' : 'reconnecting'));
    this.socket.on('mention.created', (b) => this.take(b, () => this.batchListeners.forEach((l) => l('created', b))));
    this.socket.on('mention.updated', (b) => this.take(b, () => this.batchListeners.forEach((l) => l('updated', b))));
    this.socket.on('mentions.summary', (x) => this.take(x, () => this.summaryListeners.forEach((l) => l(x))));
    this.socket.on('import.progress', (p) => this.progressListeners.forEach((l) => l(p)));
    this.socket.on('sync.reset', (r) => {
      this.epoch = r.epoch;
      this.seq = r.seq;
      for (const l of this.resetListeners) l();
    });
  }

  /** One sequence for everything numbered (batches and summaries): each is handled once, in order. */
  private take(b: { epoch: string; seq: number }, handle: () => void) {
    if (b.epoch === this.epoch && b.seq <= this.seq) return; // seen already (replay overlap)
    if (this.epoch !== undefined && b.epoch !== this.epoch) {
      this.epoch = b.epoch;
      this.seq = b.seq;
      for (const l of this.resetListeners) l();
      return;
    }
    this.epoch = b.epoch;
    this.seq = b.seq;
    handle();
  }

  private join(room: Room) {
    const resume = room === 'queue' && this.epoch !== undefined ? { epoch: this.epoch, lastSeq: this.seq } : {};
    this.socket.emit('room.join', { room, ...resume }, (ack) => {
      if (!ack.ok) return;
      if (this.epoch === undefined) {
        this.epoch = ack.epoch;
        this.seq = ack.seq;
      } else if (ack.epoch !== this.epoch) {
        this.epoch = ack.epoch;
        this.seq = ack.seq;
        for (const l of this.resetListeners) l();
      }
    });
  }

  enter(room: Room) {
    this.rooms.add(room);
    if (this.socket.connected) this.join(room);
    return () => {
      this.rooms.delete(room);
      if (this.socket.connected) this.socket.emit('room.leave', { room });
    };
  }

  onBatch(l: (kind: 'created' | 'updated', b: MentionBatch) => void) {
    this.batchListeners.add(l);
    return () => void this.batchListeners.delete(l);
  }
  /** "N new mentions": a burst or an over-large batch that was not sent one by one. */
  onSummary(l: (s: MentionSummary) => void) {
    this.summaryListeners.add(l);
    return () => void this.summaryListeners.delete(l);
  }
  /** Imports' progress (in the queue and imports rooms). */
  onImportProgress(l: (p: ImportProgress) => void) {
    this.progressListeners.add(l);
    return () => void this.progressListeners.delete(l);
  }
  onReset(l: () => void) {
    this.resetListeners.add(l);
    return () => void this.resetListeners.delete(l);
  }
  onState(l: (s: ConnState) => void) {
    this.stateListeners.add(l);
    l(this.state);
    return () => void this.stateListeners.delete(l);
  }
  private setState(s: ConnState) {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }
  /** Connects; paired with close() in an effect, so React's double mount in development is harmless. */
  open() {
    if (!this.socket.connected) this.socket.connect();
  }
  close() {
    this.socket.disconnect();
  }
}

import type { PresenceViewer } from '../../shared/events.js';

/**
 * Who is looking at (and typing in) which mention or case, per socket, so two
 * agents see each other before they both answer the same customer.
 */
export class PresenceRegistry {
  private readonly rooms = new Map<string, Map<string, PresenceViewer>>();

  /** Returns true when what others see changed. */
  set(socketId: string, room: string, viewer: PresenceViewer): boolean {
    let r = this.rooms.get(room);
    if (!r) this.rooms.set(room, (r = new Map()));
    const before = r.get(socketId);
    r.set(socketId, viewer);
    return !before || before.typing !== viewer.typing;
  }

  remove(socketId: string, room: string): boolean {
    const r = this.rooms.get(room);
    if (!r?.delete(socketId)) return false;
    if (r.size === 0) this.rooms.delete(room);
    return true;
  }

  /** Removes a disconnected socket everywhere; returns the rooms that changed. */
  removeSocket(socketId: string): string[] {
    const changed: string[] = [];
    for (const room of [...this.rooms.keys()]) if (this.remove(socketId, room)) changed.push(room);
    return changed;
  }

  /** Rooms where someone is present. */
  occupiedRooms(): string[] {
    return [...this.rooms.keys()];
  }

  /** One entry per user (a user with two tabs shows once; typing in either counts). */
  viewers(room: string): PresenceViewer[] {
    return mergeViewers(this.rooms.get(room)?.values() ?? []);
  }
}

/** Viewers from several sockets or processes, one entry per user; typing anywhere counts. */
export function mergeViewers(viewers: Iterable<PresenceViewer>): PresenceViewer[] {
  const byUser = new Map<string, PresenceViewer>();
  for (const v of viewers) {
    const seen = byUser.get(v.userId);
    byUser.set(v.userId, seen ? { ...seen, typing: seen.typing || v.typing } : v);
  }
  return [...byUser.values()];
}

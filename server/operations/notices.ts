import type { User } from '../../shared/auth.js';
import type { NewNotice, Notice } from '../../shared/notice.js';
import type { OpsDeps } from './deps.js';

/**
 * Tells one user something: stored once per `key` (the event and the user,
 * e.g. `note:<timeline id>:<user id>`), then sent live to their sockets in
 * every API process through the bus. A second call with the same key (a
 * retry, another process seeing the same event) stores and sends nothing.
 */
export async function notify(deps: Pick<OpsDeps, 'store' | 'bus'>, key: string, notice: NewNotice): Promise<Notice | null> {
  const saved = await deps.store.notices.createOnce({ key, notice });
  if (saved) deps.bus.publish('notice.created', { notice: saved });
  return saved;
}

/** The same notice to several users, each once, never to the one who caused it. */
export async function notifyMany(deps: Pick<OpsDeps, 'store' | 'bus'>, key: string, userIds: Iterable<string>, notice: Omit<NewNotice, 'userId'>) {
  const sent: Notice[] = [];
  for (const userId of new Set(userIds)) {
    if (userId === notice.actorId) continue;
    const n = await notify(deps, `${key}:${userId}`, { ...notice, userId });
    if (n) sent.push(n);
  }
  return sent;
}

/** Users of these teams (active ones), for notices to a team. */
export async function teamMembers(deps: Pick<OpsDeps, 'store'>, teams: Array<string | null | undefined>): Promise<string[]> {
  const wanted = new Set(teams.filter((t): t is string => !!t));
  if (!wanted.size) return [];
  return (await deps.store.users.list()).filter((u) => !u.disabled && u.teams.some((t) => wanted.has(t))).map((u) => u.id);
}

export async function listNotices(deps: Pick<OpsDeps, 'store'>, user: User, q: { unread?: 'true' | 'false'; limit: number; before?: string }) {
  const [items, unread] = await Promise.all([
    deps.store.notices.list({ userId: user.id, unreadOnly: q.unread === 'true', limit: q.limit, ...(q.before ? { before: q.before } : {}) }),
    deps.store.notices.unreadCount({ userId: user.id }),
  ]);
  return { items, unread };
}

/** Only the user's own notices: the store's filter is the user, never the ids alone. */
export async function markNoticesRead(deps: Pick<OpsDeps, 'store' | 'now'>, user: User, input: { ids?: string[]; all?: true }) {
  const changed = await deps.store.notices.markRead({ userId: user.id, ...(input.ids ? { ids: input.ids } : {}), at: deps.now().toISOString() });
  return { changed, unread: await deps.store.notices.unreadCount({ userId: user.id }) };
}

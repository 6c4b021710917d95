import { useEffect, useRef, useState } from 'react';
import type { Notice } from '../../../shared/notice.js';
import { get, post } from '../api/client';
import { useApp } from '../context';
import { timeAgo } from '../format';

/**
 * The user's notices inbox: a bell with the unread count in the header, new
 * notices arriving live (mentioned, assigned, a case at risk or breached, a
 * reply to approve, a breach handed to the team), each linking to its place.
 */
export function NoticesBell() {
  const { live } = useApp();
  const [items, setItems] = useState<Notice[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [toast, setToast] = useState<Notice | null>(null);
  const panel = useRef<HTMLDivElement | null>(null);

  const load = () => get<{ items: Notice[]; unread: number }>('/api/notices?limit=30', { quiet: true }).then((r) => (setItems(r.items), setUnread(r.unread)), () => undefined);
  useEffect(() => {
    void load();
    const on = (msg: { notice: Notice }) => {
      setItems((prev) => (prev.some((n) => n.id === msg.notice.id) ? prev : [msg.notice, ...prev].slice(0, 50)));
      setUnread((u) => u + 1);
      setToast(msg.notice);
    };
    // After a reconnect the inbox is read again: notices sent while away are in the store.
    const offState = live.onState((s) => s === 'live' && void load());
    live.socket.on('notice.created', on);
    return () => {
      offState();
      live.socket.off('notice.created', on);
    };
  }, [live]);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), 8000);
    return () => clearTimeout(t);
  }, [toast]);

  const markRead = async (ids?: string[]) => {
    const r = await post<{ unread: number }>('/api/notices/read', ids ? { ids } : { all: true }, { quiet: true }).catch(() => null);
    if (!r) return;
    setUnread(r.unread);
    const at = new Date().toISOString();
    setItems((prev) => prev.map((n) => (!ids || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? at } : n)));
  };
  const follow = (n: Notice) => {
    if (!n.readAt) void markRead([n.id]);
    setOpen(false);
    location.hash = n.link;
  };

  return (
    <div className="notices-bell" ref={panel} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
      <button aria-label={`Notices, ${unread} unread`} aria-expanded={open} data-testid="notices-bell" onClick={() => setOpen((o) => !o)}>
        🔔 <span data-testid="notices-unread">{unread}</span>
      </button>
      {open && (
        <div className="notices-panel" role="dialog" aria-label="Notices" data-testid="notices-panel">
          <div className="actions">
            <b>Notices</b> <button onClick={() => void markRead()} disabled={unread === 0}>Mark all read</button>
          </div>
          {items.length === 0 && <div className="muted">Nothing yet.</div>}
          <ul>
            {items.map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'} data-testid="notice">
                <a
                  href={n.link}
                  onClick={(e) => {
                    e.preventDefault();
                    follow(n);
                  }}
                >
                  {n.message}
                </a>{' '}
                <span className="muted">{timeAgo(n.at)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {toast && !open && (
        <div className="notice toast" role="status" data-testid="notice-toast">
          <a href={toast.link} onClick={(e) => (e.preventDefault(), follow(toast), setToast(null))}>
            {toast.message}
          </a>
          <button aria-label="Dismiss notice" onClick={() => setToast(null)}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MentionListResponse } from '../../../shared/api.js';
import type { Mention } from '../../../shared/mention.js';
import type { CannedResponse } from '../../../shared/reply.js';
import { SENTIMENT_LABELS, TRIAGE_STATUSES } from '../../../shared/mention.js';
import { compareMentions, matchesQuery, MentionQuerySchema, type MentionQuery } from '../../../shared/mention-query.js';
import { get, post, qs } from '../api/client';
import { ActionBadge, DemoBadge, PriorityScore, SentimentChip } from '../components/Badges';
import { VirtualList } from '../components/VirtualList';
import { useApp } from '../context';
import { compact, timeAgo } from '../format';
import { MentionDetail } from './MentionDetail';
import { FeedBanner } from '../live/FeedBanner';
import { isAborted, useDebouncedSearch } from '../live/useDebouncedSearch';
import { SavedViews } from './SavedViews';
import { EXTRA_DEFAULT, extraParams, filtersFromUrl, filtersToUrl, QueueFilters, type ExtraFilters } from './QueueFilters';

interface Filters extends ExtraFilters {
  status: string;
  sentiment: string;
  priorityMin: string;
  q: string;
  sort: 'priority' | 'recent';
}
const DEFAULT: Filters = { ...EXTRA_DEFAULT, status: 'new,claimed', sentiment: '', priorityMin: '', q: '', sort: 'priority' };

const toQuery = (f: Filters, me: string): MentionQuery =>
  MentionQuerySchema.parse({ ...extraParams(f, me), status: f.status || undefined, sentiment: f.sentiment || undefined, priorityMin: f.priorityMin || undefined, q: f.q || undefined, sort: f.sort, limit: 100 });

const HELP = [
  ['j / k', 'next / previous mention'],
  ['Enter', 'open the selected mention'],
  ['Esc', 'close'],
  ['n', 'take the next mention for me'],
  ['r', 'reply (then 1-9 picks a saved reply, Enter sends)'],
  ['e', 'escalate into a case'],
  ['d', 'dismiss'],
  ['x', 'select for a bulk action'],
  ['/', 'search'],
  ['?', 'this list'],
];

export function QueueView() {
  const { live, users, user } = useApp();
  const [typed, setFilters] = useState<Filters>(() => filtersFromUrl(DEFAULT));
  // Searches go out once typing pauses, and each aborts the one before; the other filters apply at once.
  const { q, nextSignal } = useDebouncedSearch(typed.q);
  const othersKey = JSON.stringify({ ...typed, q: '' });
  const filters = useMemo(() => ({ ...typed, q }), [othersKey, q]);
  const query = useMemo(() => toQuery(filters, user.id), [filters, user.id]);
  useEffect(() => filtersToUrl(filters, DEFAULT), [filters]);
  const [partial, setPartial] = useState(false);
  const [items, setItems] = useState<Mention[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const [arrived, setArrived] = useState(0);
  const [help, setHelp] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const togglePick = (id: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const runBulk = async (action: string, extra: Record<string, unknown> = {}) => {
    const res = await post<{ ok: string[]; failed: Array<{ id: string; message: string }> }>('/api/queue/bulk', { ids: [...picked], action, ...extra });
    setPicked(new Set(res.failed.map((f) => f.id)));
    setBulkNote(res.failed.length ? `${res.ok.length} done, ${res.failed.length} failed: ${res.failed[0]!.message}` : `${res.ok.length} done`);
  };
  const [bulkNote, setBulkNote] = useState<string | null>(null);
  const [requests, setRequests] = useState({ reply: 0, escalate: 0, dismiss: 0 });
  const searchRef = useRef<HTMLInputElement>(null);
  const loading = useRef(false);
  const openMention = useRef<Mention | null>(null);
  const [canned, setCanned] = useState<CannedResponse[]>([]);
  useEffect(() => {
    get<{ items: CannedResponse[] }>('/api/canned-responses').then((r) => setCanned(r.items), () => undefined);
  }, []);

  const fetchPage = useCallback(
    async (after: string | null) => {
      loading.current = true;
      try {
        const res = await get<MentionListResponse>(`/api/mentions${qs({ ...extraParams(filters, user.id), status: filters.status, sentiment: filters.sentiment, priorityMin: filters.priorityMin, q: filters.q, sort: filters.sort, limit: 100, cursor: after })}`, { signal: nextSignal() });
        setItems((prev) => (after ? [...prev, ...res.items.filter((m) => !prev.some((p) => p.id === m.id))] : res.items));
        setCursor(res.nextCursor);
        setPartial(res.partial === true);
      } catch (e) {
        if (!isAborted(e)) throw e;
      } finally {
        loading.current = false;
      }
    },
    [filters, user.id],
  );

  useEffect(() => {
    setArrived(0);
    void fetchPage(null);
  }, [fetchPage]);

  // Live: new mentions slot in where the sort puts them; changed ones are replaced or leave.
  useEffect(() => {
    const leave = live.enter('queue');
    const cmp = compareMentions(query.sort);
    const offBatch = live.onBatch((kind, b) => {
      setItems((prev) => {
        const byId = new Map(prev.map((m) => [m.id, m]));
        let added = 0;
        for (const m of b.mentions) {
          const fits = matchesQuery(m, query);
          if (kind === 'created' && !fits) continue;
          if (!fits && m.id !== openMention.current?.id) byId.delete(m.id);
          else {
            if (!byId.has(m.id)) added++;
            byId.set(m.id, m);
          }
        }
        if (added) setArrived((a) => a + added);
        return [...byId.values()].sort(cmp);
      });
    });
    const offReset = live.onReset(() => void fetchPage(null));
    return () => {
      leave();
      offBatch();
      offReset();
    };
  }, [live, query, fetchPage]);

  const open = openId ? (items.find((m) => m.id === openId) ?? openMention.current) : null;
  openMention.current = open ?? null;
  const replace = (m: Mention) => setItems((prev) => prev.map((x) => (x.id === m.id ? m : x)));

  const NO_REQUESTS = { reply: 0, escalate: 0, dismiss: 0 };
  const openPlain = (id: string) => {
    setRequests(NO_REQUESTS);
    setOpenId(id);
  };

  const next = useCallback(async () => {
    const res = await post<{ mention: Mention | null }>('/api/queue/next');
    if (res.mention) {
      openMention.current = res.mention;
      setItems((prev) => (prev.some((p) => p.id === res.mention!.id) ? prev.map((p) => (p.id === res.mention!.id ? res.mention! : p)) : [res.mention!, ...prev]));
      setRequests({ reply: 0, escalate: 0, dismiss: 0 });
      setOpenId(res.mention.id);
    }
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.closest('[data-testid="canned-picker"]')) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('[data-testid="composer"]') && (e.key === 'Enter' || /^[1-9]$/.test(e.key))) return;
      const current = items[selected];
      switch (e.key) {
        case 'j':
          setSelected((s) => Math.min(items.length - 1, s + 1));
          break;
        case 'k':
          setSelected((s) => Math.max(0, s - 1));
          break;
        case 'Enter':
          if (current && t.tagName !== 'BUTTON') openPlain(current.id);
          break;
        case 'Escape':
          setOpenId(null);
          setHelp(false);
          break;
        case 'n':
          void next();
          break;
        case 'x':
          if (current) togglePick(current.id);
          break;
        case 'r':
        case 'e':
        case 'd': {
          const target = open ?? current;
          if (!target) return;
          e.preventDefault();
          setOpenId(target.id);
          setRequests((r) => ({ ...r, [e.key === 'r' ? 'reply' : e.key === 'e' ? 'escalate' : 'dismiss']: Date.now() }));
          break;
        }
        case '/':
          e.preventDefault();
          searchRef.current?.focus();
          break;
        case '?':
          setHelp((h) => !h);
          break;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, selected, open, next]);

  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <div className="queue-layout">
      <section className="queue">
        <SavedViews
          params={{ ...extraParams(filters, user.id), status: filters.status, sentiment: filters.sentiment, priorityMin: filters.priorityMin, q: filters.q, sort: filters.sort }}
          keys={Object.keys(DEFAULT)}
          me={user.id}
          onApply={(f) => setFilters({ ...DEFAULT, ...(f as Partial<Filters>) })}
        />
        <div className="filters">
          <select aria-label="Status" value={filters.status} onChange={(e) => set({ status: e.target.value })}>
            <option value="new,claimed">Open (new + claimed)</option>
            <option value="">All statuses</option>
            {TRIAGE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
          <select aria-label="Sentiment" value={filters.sentiment} onChange={(e) => set({ sentiment: e.target.value })}>
            <option value="">Any sentiment</option>
            {SENTIMENT_LABELS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <QueueFilters value={filters} onChange={set} />
          <select aria-label="Minimum priority" value={filters.priorityMin} onChange={(e) => set({ priorityMin: e.target.value })}>
            <option value="">Any priority</option>
            <option value="80">≥ 80</option>
            <option value="60">≥ 60</option>
            <option value="40">≥ 40</option>
          </select>
          <input ref={searchRef} aria-label="Search" placeholder="Search ( / )" value={typed.q} onChange={(e) => set({ q: e.target.value })} />
          <select aria-label="Sort" value={filters.sort} onChange={(e) => set({ sort: e.target.value as Filters['sort'] })}>
            <option value="priority">By priority</option>
            <option value="recent">Newest first</option>
          </select>
          <button onClick={() => void next()} title="n" className="primary">
            Next
          </button>
          <span className="muted count" data-testid="queue-count">
            {items.length} shown{arrived > 0 ? ` · ${arrived} arrived live` : ''}
          </span>
          <button onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
            ?
          </button>
        </div>
        <FeedBanner onRefresh={() => void fetchPage(null)} />
        {partial && cursor && (
          <div className="muted" data-testid="search-partial">
            The search stopped at its work limit; more mentions may match. <button onClick={() => void fetchPage(cursor)}>Search further</button>
          </div>
        )}
        {(picked.size > 0 || bulkNote) && (
          <div className="bulk-bar" data-testid="bulk-bar">
            {picked.size} selected
            <button onClick={() => runBulk('dismiss', { reason: 'bulk dismissed' })}>Dismiss</button>
            <button onClick={() => runBulk('watch')}>Watch</button>
            <button onClick={() => runBulk('release')}>Release</button>
            <button onClick={() => runBulk('snooze', { until: new Date(Date.now() + 3600_000).toISOString() })}>Snooze 1h</button>
            <button
              onClick={() =>
                post<{ case: { id: string } }>('/api/cases', { mentionIds: [...picked] }).then((r) => {
                  setPicked(new Set());
                  location.hash = `#/cases/${r.case.id}`;
                }, () => undefined)
              }
            >
              Escalate together
            </button>
            <button onClick={() => (setPicked(new Set()), setBulkNote(null))}>Clear</button>
            {bulkNote && <span className="muted">{bulkNote}</span>}
          </div>
        )}
        <VirtualList
          testId="queue-list"
          items={items}
          rowHeight={62}
          selectedIndex={selected}
          onNearEnd={() => cursor && !loading.current && void fetchPage(cursor)}
          render={(m, i) => (
            // The row opens from a real button (Tab reaches it, Enter and Space open it); its ::after covers the row for the mouse.
            <div className={`row${i === selected ? ' selected' : ''}${m.id === openId ? ' open' : ''}`} data-testid="queue-row" data-mention-id={m.id} data-brand={m.brand ?? ''}>
              <input type="checkbox" aria-label={`Select the mention by @${m.author.handle}`} checked={picked.has(m.id)} onChange={() => togglePick(m.id)} />
              <button
                type="button"
                className="row-open"
                data-testid="queue-row-open"
                aria-current={m.id === openId ? 'true' : undefined}
                onFocus={() => setSelected(i)}
                onClick={() => {
                  setSelected(i);
                  openPlain(m.id);
                }}
              >
                <PriorityScore m={m} />
                <span className="row-main">
                  <span className="row-top">
                    <ActionBadge action={m.scores.priority.action} /> <SentimentChip m={m} /> <span className="platform">{m.platform}</span> {m.brand && <span className="brand">{m.brand}</span>} <b>@{m.author.handle}</b> <span className="muted">{compact(m.author.followers)}</span>{' '}
                    {m.triage.assignee && <span className="held">● {users.get(m.triage.assignee)?.name ?? 'held'}</span>} {m.demo && <DemoBadge />}
                    <span className="muted when">{timeAgo(m.createdAt)}</span>
                  </span>
                  <span className="snippet">{m.text}</span>
                </span>
              </button>
            </div>
          )}
        />
      </section>
      {open && (
        <MentionDetail
          key={open.id}
          mention={open}
          canned={canned}
          onChange={replace}
          onClose={() => setOpenId(null)}
          replyRequest={requests.reply}
          escalateRequest={requests.escalate}
          dismissRequest={requests.dismiss}
        />
      )}
      {help && (
        // A click anywhere closes it (mouse); Escape, ? or the Close button do the same from the keyboard.
        <div className="help" role="dialog" aria-label="Keyboard shortcuts" onClick={() => setHelp(false)}>
          <button type="button" className="help-close" autoFocus onClick={() => setHelp(false)}>
            Close
          </button>
          <table>
            <tbody>
              {HELP.map(([k, v]) => (
                <tr key={k}>
                  <td>
                    <kbd>{k}</kbd>
                  </td>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

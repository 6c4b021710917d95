import { useEffect, useRef, useState } from 'react';
import type { Mention } from '../../../../shared/mention.js';
import type { WallLayout, WallScreenResponse } from '../../../../shared/wall.js';
import { get } from '../../api/client';
import type { Live } from '../../live/socket';
import { apiQuery } from './layout';

/** What arrived live since the last snapshot, per brand: moves the gauges between snapshots. */
export interface LiveDelta {
  byBrand: Map<string, { negative: number; neutral: number; positive: number }>;
  /** Newest first, bounded. */
  latest: Array<Pick<Mention, 'id' | 'brand' | 'text' | 'createdAt'> & { handle: string; sentiment: Mention['scores']['sentiment']['label'] }>;
}
const LATEST = 12;
const REFRESH_MS = 10_000;

/**
 * The wall's data: a snapshot from GET /api/wall/screen every 10 seconds (and
 * soon after an alert or a summarised burst), plus the live mentions since,
 * taken from the socket into a buffer and applied at most once per animation
 * frame, so 200 mentions a second cost one render a frame. Everything held
 * is bounded: counts per brand and the last few mentions.
 */
export function useWallData(live: Live, layout: WallLayout) {
  const [snap, setSnap] = useState<WallScreenResponse | null>(null);
  const [delta, setDelta] = useState<LiveDelta>({ byBrand: new Map(), latest: [] });
  const pending = useRef<Mention[]>([]);
  const frame = useRef<number | null>(null);
  const key = apiQuery(layout);

  useEffect(() => {
    let alive = true;
    let inFlight = false;
    let soon: ReturnType<typeof setTimeout> | null = null;
    const load = async () => {
      if (inFlight) return;
      inFlight = true;
      try {
        const s = await get<WallScreenResponse>(`/api/wall/screen${key}`, { quiet: true });
        if (!alive) return;
        pending.current = [];
        setSnap(s);
        setDelta({ byBrand: new Map(), latest: [] });
      } catch {
        // The next refresh tries again; the screen keeps what it shows.
      } finally {
        inFlight = false;
      }
    };
    const loadSoon = () => {
      if (soon) return;
      soon = setTimeout(() => {
        soon = null;
        void load();
      }, 1000);
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const leave = live.enter('wall');
    const flush = () => {
      frame.current = null;
      const batch = pending.current;
      pending.current = [];
      if (batch.length === 0) return;
      setDelta((prev) => {
        const byBrand = new Map(prev.byBrand);
        for (const m of batch) {
          if (!m.brand) continue;
          const c = { ...(byBrand.get(m.brand) ?? { negative: 0, neutral: 0, positive: 0 }) };
          c[m.scores.sentiment.label]++;
          byBrand.set(m.brand, c);
        }
        const fresh = batch.slice(-LATEST).reverse().map((m) => ({ id: m.id, brand: m.brand, text: m.text, createdAt: m.createdAt, handle: m.author.handle, sentiment: m.scores.sentiment.label }));
        return { byBrand, latest: [...fresh, ...prev.latest].slice(0, LATEST) };
      });
    };
    const off = live.onBatch((kind, b) => {
      if (kind !== 'created') return;
      const brands = layout.brands;
      for (const m of b.mentions) {
        if (brands?.length && (!m.brand || !brands.includes(m.brand))) continue;
        if (layout.networks?.length && !layout.networks.includes(m.platform)) continue;
        if (layout.langs?.length && !layout.langs.includes(m.lang)) continue;
        pending.current.push(m);
      }
      // Bounded even if frames stop (a hidden tab): only counts matter beyond the last few.
      if (pending.current.length > 5000) pending.current.splice(0, pending.current.length - 5000);
      if (frame.current === null) frame.current = requestAnimationFrame(flush);
    });
    const offSummary = live.onSummary(() => loadSoon());
    const onAlert = () => loadSoon();
    live.socket.on('alert.raised', onAlert);
    return () => {
      alive = false;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      leave();
      off();
      offSummary();
      live.socket.off('alert.raised', onAlert);
    };
    // The layout is in `key`: a new link, a new subscription.
  }, [live, key]);

  return { snap, delta };
}

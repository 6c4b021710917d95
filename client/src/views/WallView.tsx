import { useEffect, useMemo, useState } from 'react';
import type { RisingTopicsResponse, WallResponse } from '../../../shared/api.js';
import type { Mention } from '../../../shared/mention.js';
import type { RollupBucket } from '../../../shared/store.js';
import { get } from '../api/client';
import { DemoBadge } from '../components/Badges';
import type { Alert } from '../../../shared/spikes.js';
import { timeAgo } from '../format';
import { useApp } from '../context';

const minuteOf = (iso: string) => new Date(Math.floor(Date.parse(iso) / 60000) * 60000).toISOString();

function addTo(buckets: RollupBucket[], m: Mention): RollupBucket[] {
  const minute = minuteOf(m.createdAt);
  const i = buckets.findIndex((b) => b.minute === minute);
  const base = i >= 0 ? buckets[i]! : { minute, negative: 0, neutral: 0, positive: 0, scoreSum: 0 };
  const next = { ...base, [m.scores.sentiment.label]: base[m.scores.sentiment.label] + 1, scoreSum: base.scoreSum + m.scores.sentiment.score };
  const out = i >= 0 ? buckets.map((b, j) => (j === i ? next : b)) : [...buckets, next];
  return out.sort((a, b) => (a.minute < b.minute ? -1 : 1)).slice(-60);
}

/** Brand managers' live view: gauge, mentions per minute by sentiment, and the stream. */
export function WallView() {
  const { live } = useApp();
  const [buckets, setBuckets] = useState<RollupBucket[]>([]);
  const [stream, setStream] = useState<Mention[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [topics, setTopics] = useState<RisingTopicsResponse | null>(null);

  useEffect(() => {
    const load = () => get<RisingTopicsResponse>('/api/wall/topics?minutes=60&limit=10').then(setTopics, () => undefined);
    void load();
    const t = setInterval(load, 30_000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    get<WallResponse>('/api/wall').then((r) => setBuckets(r.buckets), () => undefined);
    get<{ items: Alert[] }>('/api/alerts?limit=5').then((r) => setAlerts(r.items), () => undefined);
    const onAlert = (msg: { alert: Alert }) => setAlerts((prev) => [msg.alert, ...prev].slice(0, 5));
    live.socket.on('alert.raised', onAlert);
    const leave = live.enter('wall');
    const onTick = (t: { buckets: RollupBucket[] }) => setBuckets(t.buckets);
    live.socket.on('wall.tick', onTick);
    const off = live.onBatch((kind, b) => {
      if (kind !== 'created') return;
      setBuckets((prev) => b.mentions.reduce(addTo, prev));
      setStream((prev) => [...b.mentions.slice(-30).reverse(), ...prev].slice(0, 40));
    });
    return () => {
      leave();
      off();
      live.socket.off('wall.tick', onTick);
      live.socket.off('alert.raised', onAlert);
    };
  }, [live]);

  const recent = buckets.filter((b) => Date.parse(b.minute) >= Date.now() - 15 * 60_000);
  const count = recent.reduce((s, b) => s + b.negative + b.neutral + b.positive, 0);
  const gauge = count ? recent.reduce((s, b) => s + b.scoreSum, 0) / count : 0;
  const max = Math.max(1, ...buckets.map((b) => b.negative + b.neutral + b.positive));
  const series = useMemo(() => {
    const now = Math.floor(Date.now() / 60000) * 60000;
    const byMinute = new Map(buckets.map((b) => [b.minute, b]));
    return Array.from({ length: 60 }, (_, i) => {
      const minute = new Date(now - (59 - i) * 60000).toISOString();
      return byMinute.get(minute) ?? { minute, negative: 0, neutral: 0, positive: 0, scoreSum: 0 };
    });
  }, [buckets]);

  const angle = gauge * 90; // -1..1 → -90°..90°
  return (
    <div className="wall" data-testid="wall">
      <section className="gauge-card">
        <h3>Sentiment, last 15 minutes</h3>
        <svg viewBox="0 0 200 120" className="gauge" role="img" aria-label={`sentiment ${gauge.toFixed(2)}`}>
          <path d="M20 100 A80 80 0 0 1 73 25" stroke="#d9534f" strokeWidth="16" fill="none" />
          <path d="M73 25 A80 80 0 0 1 127 25" stroke="#9aa3ad" strokeWidth="16" fill="none" />
          <path d="M127 25 A80 80 0 0 1 180 100" stroke="#3c9a5f" strokeWidth="16" fill="none" />
          <line x1="100" y1="100" x2="100" y2="32" stroke="#222" strokeWidth="4" transform={`rotate(${angle} 100 100)`} />
          <circle cx="100" cy="100" r="6" fill="#222" />
        </svg>
        <div className="gauge-value" data-testid="gauge-value">
          {gauge.toFixed(2)} <span className="muted">({count} mentions)</span>
        </div>
      </section>
      <section className="chart-card">
        <h3>Mentions per minute by sentiment (60 min)</h3>
        <svg viewBox="0 0 600 160" preserveAspectRatio="none" className="bars" role="img" aria-label="mentions per minute">
          {series.map((b, i) => {
            const h = (n: number) => (n / max) * 140;
            const x = i * 10;
            const neg = h(b.negative);
            const neu = h(b.neutral);
            const pos = h(b.positive);
            return (
              <g key={b.minute}>
                <title>{`${b.minute.slice(11, 16)}: ${b.negative} negative, ${b.neutral} neutral, ${b.positive} positive`}</title>
                <rect x={x} y={150 - neg} width={8} height={neg} fill="#d9534f" />
                <rect x={x} y={150 - neg - neu} width={8} height={neu} fill="#9aa3ad" />
                <rect x={x} y={150 - neg - neu - pos} width={8} height={pos} fill="#3c9a5f" />
              </g>
            );
          })}
        </svg>
      </section>
      {alerts.length > 0 && (
        <section className="alerts-card" data-testid="alerts">
          <h3>Spike alerts</h3>
          {alerts.map((a) => (
            <div key={a.id} className="alert">
              <b>{a.brand}</b>: {a.negatives} negative mentions{a.topic ? ` about "${a.topic}"` : ''} in {Math.round((Date.parse(a.windowEnd) - Date.parse(a.windowStart)) / 60_000)} minutes (about {a.baselineMean} expected) <span className="muted">{timeAgo(a.raisedAt)}</span>
            </div>
          ))}
        </section>
      )}
      <section className="topics-card" data-testid="rising-topics">
        <h3>Rising topics{topics ? ` (last ${topics.windowMinutes === 60 ? 'hour' : `${topics.windowMinutes} minutes`} vs. the hours before)` : ''}</h3>
        {!topics || topics.items.length === 0 ? (
          <p className="muted">Nothing is rising.</p>
        ) : (
          <ol className="topics">
            {topics.items.map((t) => (
              <li key={`${t.brand}|${t.phrase}`} title={`${t.count} people, about ${t.expected} expected`}>
                <b>{t.phrase}</b> <span className="muted">{t.brand}</span> · {t.count} people · ×{t.lift}{' '}
                <span className="neg-share" aria-label={`${Math.round(t.negativeShare * 100)}% negative`}>
                  <span style={{ width: `${Math.round(t.negativeShare * 100)}%` }} />
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="stream-card">
        <h3>Live stream</h3>
        <ul className="stream" data-testid="wall-stream">
          {stream.map((m) => (
            <li key={m.id} className={`sent-border-${m.scores.sentiment.label}`}>
              <b>@{m.author.handle}</b> {m.demo && <DemoBadge />} <span>{m.text}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

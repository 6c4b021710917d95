import type { ReactNode } from 'react';
import type { WallBrandNow, WallScreenResponse, WallVolumePoint } from '../../../../shared/wall.js';
import { WALL_PANEL_NAMES, type WallPanel } from '../../../../shared/wall.js';
import { netSentiment } from '../../../../shared/wall-maths.js';
import type { LiveDelta } from './live';

export interface PanelProps {
  snap: WallScreenResponse;
  delta: LiveDelta;
  /** Normal mode only: managers turn a trend into an investigation case. */
  onInvestigate?: (args: { brand: string; topic: string; alertId?: string }) => void;
}

const signed = (n: number | null) => (n === null ? '–' : `${n > 0 ? '+' : ''}${Math.round(n)}`);
const compact = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(n >= 1e4 ? 0 : 1)}k` : String(n));
const duration = (s: number | null) => (s === null ? '–' : s < 90 ? `${Math.round(s)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);
const ago = (iso: string | null, now: number) => (iso ? duration(Math.max(0, (now - Date.parse(iso)) / 1000)) : '–');

function Panel({ id, children }: { id: WallPanel; children: ReactNode }) {
  return (
    <section className={`wall-panel panel-${id}`} data-testid={`panel-${id}`} aria-label={WALL_PANEL_NAMES[id]}>
      <h2>{WALL_PANEL_NAMES[id]}</h2>
      {children}
    </section>
  );
}

/** The snapshot's counts over the range plus what arrived live since. */
function liveNet(b: WallBrandNow, delta: LiveDelta) {
  const d = delta.byBrand.get(b.brand);
  if (!d) return { net: b.net, total: b.total };
  const c = { negative: b.counts.negative + d.negative, neutral: b.counts.neutral + d.neutral, positive: b.counts.positive + d.positive };
  return { net: netSentiment(c), total: c.negative + c.neutral + c.positive };
}

function Spark({ points }: { points: Array<{ net: number | null }> }) {
  const xs = points.map((p, i) => (p.net === null ? null : `${(i / Math.max(1, points.length - 1)) * 300},${50 - (p.net / 100) * 45}`)).filter(Boolean);
  return (
    <svg viewBox="0 0 300 100" className="spark" role="img" aria-label="net sentiment, last 24 hours">
      <line x1="0" y1="50" x2="300" y2="50" className="spark-zero" />
      <polyline points={xs.join(' ')} className="spark-line" />
    </svg>
  );
}

function SentimentPanel({ snap, delta }: PanelProps) {
  const own = snap.brands.filter((b) => b.role === 'own' && (!snap.layout.brands?.length || snap.layout.brands.includes(b.brand)));
  return (
    <Panel id="sentiment">
      <div className="brand-gauges">
        {own.map((b) => {
          const { net, total } = liveNet(b, delta);
          return (
            <div key={b.brand} className="brand-gauge" data-testid={`gauge-${b.brand}`}>
              <div className="brand-name">{b.brand}</div>
              <div className={`big-number ${net === null ? '' : net < -10 ? 'neg' : net > 10 ? 'pos' : 'neu'}`} data-testid="gauge-value" data-net={net ?? ''}>
                {signed(net)}
              </div>
              <div className="sub">{compact(total)} mentions · {snap.layout.range}</div>
              <Spark points={b.trend} />
              {b.learning && (
                <div className="learning" data-testid="learning">
                  Still learning: {Math.round(b.learning.minutes)} min of the {Math.round(b.learning.needed / 60)} h it needs. Alerts only on unmistakable bursts.
                </div>
              )}
            </div>
          );
        })}
        {own.length === 0 && <p className="sub">No mentions yet.</p>}
      </div>
    </Panel>
  );
}

function Bars({ points, label }: { points: WallVolumePoint[]; label: string }) {
  const max = Math.max(1, ...points.map((p) => p.negative + p.neutral + p.positive));
  const w = 600 / points.length;
  return (
    <svg viewBox="0 0 600 160" preserveAspectRatio="none" className="bars" role="img" aria-label={label}>
      {points.map((p, i) => {
        const h = (n: number) => (n / max) * 150;
        const neg = h(p.negative);
        const neu = h(p.neutral);
        const pos = h(p.positive);
        return (
          <g key={p.start}>
            <rect x={i * w} y={160 - neg} width={w * 0.8} height={neg} className="fill-neg" />
            <rect x={i * w} y={160 - neg - neu} width={w * 0.8} height={neu} className="fill-neu" />
            <rect x={i * w} y={160 - neg - neu - pos} width={w * 0.8} height={pos} className="fill-pos" />
          </g>
        );
      })}
    </svg>
  );
}

function VolumePanel({ snap }: PanelProps) {
  const sum = (ps: WallVolumePoint[]) => ps.reduce((s, p) => s + p.negative + p.neutral + p.positive, 0);
  return (
    <Panel id="volume">
      <div className="sub">Last 60 minutes · {compact(sum(snap.volume.minutes))}</div>
      <Bars points={snap.volume.minutes} label="mentions per minute by sentiment, last hour" />
      <div className="sub">Last 24 hours · {compact(sum(snap.volume.hours))}</div>
      <Bars points={snap.volume.hours} label="mentions per hour by sentiment, last 24 hours" />
      <div className="legend">
        <span className="key neg">negative</span> <span className="key neu">neutral</span> <span className="key pos">positive</span>
      </div>
    </Panel>
  );
}

function SharePanel({ snap }: PanelProps) {
  return (
    <Panel id="share">
      {snap.share.map((s) => (
        <div key={s.brand} className="share" data-testid={`share-${s.brand}`}>
          <div className="share-bar" role="img" aria-label={s.rivals.map((r) => `${r.brand} ${r.share}%`).join(', ')}>
            {s.rivals.map((r, i) => (
              <span key={r.brand} className={`seg seg-${i % 5} ${r.role}`} style={{ width: `${Math.max(r.share, 0.5)}%` }} />
            ))}
          </div>
          <table className="share-table">
            <tbody>
              {s.rivals.map((r, i) => (
                <tr key={r.brand}>
                  <td>
                    <span className={`dot seg-${i % 5}`} /> {r.brand}
                    {r.role === 'competitor' ? '' : ' ★'}
                  </td>
                  <td className="num">{r.share}%</td>
                  <td className={`num ${r.net !== null && r.net < 0 ? 'neg' : 'pos'}`}>{signed(r.net)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {s.rivals.length === 1 && <div className="sub">No competitors set for {s.brand} (Settings → Listening queries).</div>}
        </div>
      ))}
    </Panel>
  );
}

function TopicsPanel({ snap, onInvestigate }: PanelProps) {
  const t = snap.topics;
  return (
    <Panel id="topics">
      <div data-testid="rising-topics">
        {t.items.length === 0 ? (
          <p className="sub">{t.learning?.length ? 'Nothing is rising. Still learning what is normal, so only what a crowd says at once shows here.' : 'Nothing is rising.'}</p>
        ) : (
          <ol className="topics">
            {t.items.slice(0, 6).map((i) => (
              <li key={`${i.brand}|${i.phrase}`} data-testid="rising-topic" data-phrase={i.phrase}>
                <b>{i.phrase}</b> <span className="sub">{i.brand}</span> · {i.count} people · {Math.round(i.negativeShare * 100)}% negative
                {i.people?.length ? <div className="people">{i.people.slice(0, 3).map((p) => `@${p.handle}`).join(' ')}</div> : null}
                {onInvestigate && (
                  <button className="investigate" onClick={() => onInvestigate({ brand: i.brand, topic: i.phrase })}>
                    Investigate
                  </button>
                )}
              </li>
            ))}
          </ol>
        )}
      </div>
    </Panel>
  );
}

function InfluencersPanel({ snap }: PanelProps) {
  return (
    <Panel id="influencers">
      <table className="influencers">
        <tbody>
          {snap.influencers.slice(0, 6).map((p) => (
            <tr key={`${p.platform}:${p.handle}`}>
              <td>
                <span className={`dot sent-${p.sentiment}`} role="img" aria-label={p.sentiment} /> @{p.handle}
              </td>
              <td className="num">{compact(p.followers)}</td>
              <td className="num">{p.influence}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {snap.influencers.length === 0 && <p className="sub">Nobody loud right now.</p>}
    </Panel>
  );
}

function AlertsPanel({ snap, onInvestigate }: PanelProps) {
  return (
    <Panel id="alerts">
      <div data-testid="alerts">
        {snap.alerts.length === 0 && <p className="sub">No alerts in the last 24 hours.</p>}
        {snap.alerts.slice(0, 3).map(({ alert: a, examples }) => (
          <div key={a.id} className="alert" data-testid="alert">
            <div>
              <b>{a.brand}</b>: {a.negatives} negative{a.topic ? ` about “${a.topic}”` : ''} in {Math.round((Date.parse(a.windowEnd) - Date.parse(a.windowStart)) / 60_000)} min <span className="sub">(≈{a.baselineMean} expected)</span>
            </div>
            {examples.slice(0, 2).map((m) => (
              <div key={m.id} className="example" data-testid="alert-example">
                @{m.handle}: {m.text}
              </div>
            ))}
            {onInvestigate && a.topic && (
              <button className="investigate" onClick={() => onInvestigate({ brand: a.brand, topic: a.topic!, alertId: a.id })}>
                Investigate
              </button>
            )}
          </div>
        ))}
      </div>
    </Panel>
  );
}

function QueuePanel({ snap }: PanelProps) {
  const q = snap.queue;
  const now = Date.parse(snap.computedAt);
  return (
    <Panel id="queue">
      <div className="queue-grid">
        <div>
          <div className="big-number" data-testid="queue-unanswered">{compact(q.unanswered)}{q.unansweredCapped ? '+' : ''}</div>
          <div className="sub">unanswered</div>
        </div>
        <div>
          <div className="big-number">{ago(q.oldestWaitingAt, now)}</div>
          <div className="sub">oldest waiting</div>
        </div>
        <div>
          <div className="big-number">{duration(q.medianFirstResponseSeconds)}</div>
          <div className="sub">median first response today ({q.firstResponsesToday})</div>
        </div>
        <div>
          <div className={`big-number ${q.slaBreaches > 0 ? 'neg' : ''}`}>{q.slaBreaches}</div>
          <div className="sub">SLA breaches now</div>
        </div>
      </div>
    </Panel>
  );
}

export const PANELS: Record<WallPanel, (p: PanelProps) => ReactNode> = {
  sentiment: SentimentPanel,
  volume: VolumePanel,
  share: SharePanel,
  topics: TopicsPanel,
  influencers: InfluencersPanel,
  alerts: AlertsPanel,
  queue: QueuePanel,
};

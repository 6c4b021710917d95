import { useEffect, useState } from 'react';
import type { InvestigationView } from '../../../shared/investigation.js';
import { get } from '../api/client';
import { timeAgo } from '../format';

const REFRESH_MS = 5000;

/** An investigation case's topic over its life (linked mentions per hour by sentiment) and its newest linked mentions; new ones appear as the pipeline links them. */
export function InvestigationPanel({ caseId }: { caseId: string }) {
  const [view, setView] = useState<InvestigationView | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () => get<InvestigationView>(`/api/investigations/${caseId}`, { quiet: true }).then((v) => alive && setView(v), () => undefined);
    void load();
    const t = setInterval(load, REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, [caseId]);
  if (!view) return <div className="muted">Loading the investigation…</div>;
  const inv = view.case.investigation;
  const max = Math.max(1, ...view.series.map((p) => p.negative + p.neutral + p.positive));
  const w = 600 / Math.max(1, view.series.length);
  return (
    <section className="investigation" data-testid="investigation">
      <h3>
        Investigating “{inv?.topic}” for {inv?.brand} · <span data-testid="investigation-linked">{view.linked}</span> mentions linked
      </h3>
      <svg viewBox="0 0 600 120" preserveAspectRatio="none" className="bars" role="img" aria-label={`mentions per hour carrying ${inv?.topic}, by sentiment`}>
        {view.series.map((p, i) => {
          const h = (n: number) => (n / max) * 110;
          return (
            <g key={p.start}>
              <title>{`${new Date(p.start).toLocaleString()}: ${p.negative} negative, ${p.neutral} neutral, ${p.positive} positive`}</title>
              <rect x={i * w} y={120 - h(p.negative)} width={w * 0.8} height={h(p.negative)} className="fill-neg" />
              <rect x={i * w} y={120 - h(p.negative) - h(p.neutral)} width={w * 0.8} height={h(p.neutral)} className="fill-neu" />
              <rect x={i * w} y={120 - h(p.negative) - h(p.neutral) - h(p.positive)} width={w * 0.8} height={h(p.positive)} className="fill-pos" />
            </g>
          );
        })}
      </svg>
      <ul className="investigation-mentions" data-testid="investigation-mentions">
        {view.mentions.map((m) => (
          <li key={m.id} className={`sent-border-${m.scores.sentiment.label}`} data-mention-id={m.id}>
            <b>@{m.author.handle}</b> <span className="muted">{m.platform} · {timeAgo(m.createdAt)}</span> {m.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

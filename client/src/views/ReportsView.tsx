import { useEffect, useMemo, useState } from 'react';
import {
  DEFAULT_EEX_WEIGHTS,
  FEEDBACK_KIND_NAMES,
  GROUP_BYS,
  type EexWeights,
  type ExperienceReport,
  type GroupBy,
  type ResponseReport,
  type ShareOfVoiceReport,
  type TopicsReport,
  type VolumeReport,
} from '../../../shared/reports.js';
import { api, ApiError, get, qs } from '../api/client';
import { BarChart, SENTIMENT_COLOURS, StackedChart } from '../components/Charts';

const NETWORKS = ['x', 'reddit', 'bluesky', 'mastodon', 'file', 'simulator'] as const;
const PRESETS = [
  ['24h', 'Last 24 hours', 1],
  ['7d', 'Last 7 days', 7],
  ['30d', 'Last 30 days', 30],
  ['90d', 'Last 90 days', 90],
  ['custom', 'Dates…', 0],
] as const;
type Preset = (typeof PRESETS)[number][0];

const KIND_LABELS: Record<string, string> = { reply_followup: 'Next mention after a reply', case_resolved: 'Case resolved', case_reopened: 'Case reopened', correction: 'Next mention after a reply, sentiment corrected by an agent' };
const PROCESS_LABELS: Record<string, string> = { triage_response: 'Triage response', case_resolution: 'Case resolution' };

export function fmtDuration(s: number | null): string {
  if (s === null) return '—';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(Math.round(s % 60)).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.round((s % 86_400) / 3600)}h`;
}
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const dayStart = (d: string) => new Date(`${d}T00:00:00Z`);

/** The Reports page (managers): filters, then each report as a chart and a table with the same numbers, each downloadable. */
export function ReportsView() {
  const [preset, setPreset] = useState<Preset>('7d');
  const today = new Date().toISOString().slice(0, 10);
  const [fromDay, setFromDay] = useState(new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10));
  const [toDay, setToDay] = useState(today);
  const [brand, setBrand] = useState('');
  const [network, setNetwork] = useState('');
  const [groupBy, setGroupBy] = useState<GroupBy>('team');
  const [anchor] = useState(() => Date.now());

  const range = useMemo(() => {
    if (preset === 'custom') {
      const from = dayStart(fromDay);
      const to = new Date(dayStart(toDay).getTime() + 86_400_000);
      return { from: from.toISOString(), to: to.toISOString() };
    }
    const days = PRESETS.find((p) => p[0] === preset)![2];
    const to = new Date(Math.ceil(anchor / 3_600_000) * 3_600_000);
    return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
  }, [preset, fromDay, toDay, anchor]);

  const params = { ...range, brand: brand.trim() || undefined, network: network || undefined };
  const query = qs(params);
  const responseQuery = qs({ ...params, groupBy });
  const customBad = preset === 'custom' && !(dayStart(toDay).getTime() >= dayStart(fromDay).getTime());

  return (
    <div className="reports" data-testid="reports">
      <form className="filters report-filters" onSubmit={(e) => e.preventDefault()} aria-label="Report filters">
        <label>
          Range{' '}
          <select value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
            {PRESETS.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {preset === 'custom' && (
          <>
            <label>
              From <input type="date" value={fromDay} max={toDay} onChange={(e) => setFromDay(e.target.value)} />
            </label>
            <label>
              To <input type="date" value={toDay} min={fromDay} onChange={(e) => setToDay(e.target.value)} />
            </label>
          </>
        )}
        <label>
          Brand <input value={brand} onChange={(e) => setBrand(e.target.value)} placeholder="all brands" />
        </label>
        <label>
          Network{' '}
          <select value={network} onChange={(e) => setNetwork(e.target.value)}>
            <option value="">all networks</option>
            {NETWORKS.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Group by{' '}
          <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
            {GROUP_BYS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          UTC, {Date.parse(range.to) - Date.parse(range.from) <= 3 * 86_400_000 ? 'whole hours' : 'whole days'}: {range.from.slice(0, 16).replace('T', ' ')} – {range.to.slice(0, 16).replace('T', ' ')}
        </span>
      </form>
      {customBad ? (
        <p className="form-error">The end date must not be before the start date.</p>
      ) : (
        <div className="report-sections">
          <ResponseSection query={responseQuery} />
          <VolumeSection query={query} />
          <SovSection query={query} />
          <TopicsSection query={query} />
          <ExperienceSection query={query} />
        </div>
      )}
    </div>
  );
}

function useReport<T>(path: string, query: string, bump = 0): { data: T | null; error: string | null } {
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    get<T>(`${path}${query}`, { quiet: true }).then(
      (data) => live && setState({ data, error: null }),
      (e: unknown) => live && setState({ data: null, error: e instanceof ApiError ? e.message : 'The report could not be loaded.' }),
    );
    return () => {
      live = false;
    };
  }, [path, query, bump]);
  return state;
}

function Section({ id, title, path, query, error, children }: { id: string; title: string; path: string; query: string; error: string | null; children: React.ReactNode }) {
  const csv = `${path}${query}${query ? '&' : '?'}format=csv`;
  return (
    <section className="report" data-testid={`report-${id}`} aria-labelledby={`h-${id}`}>
      <header className="report-head">
        <h3 id={`h-${id}`}>{title}</h3>
        <a className="button" href={csv} download>
          Download CSV
        </a>
      </header>
      {error ? <p className="form-error">{error}</p> : children}
    </section>
  );
}

function ResponseSection({ query }: { query: string }) {
  const { data, error } = useReport<ResponseReport>('/api/reports/response', query);
  return (
    <Section id="response" title="Response" path="/api/reports/response" query={query} error={error}>
      {!data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted">First-response and resolution times are {data.businessHours ? 'in business hours (SLA policy)' : 'wall-clock time'}; medians and p90 are read from rollup histograms (within about 9 %).</p>
          <BarChart title={`Median first response by ${data.groupBy}`} filename="hark-first-response.png" items={data.groups.map((g) => ({ label: g.key, value: g.frtMedianSeconds }))} format={fmtDuration} />
          <table className="report-table" data-testid="response-table">
            <thead>
              <tr>
                <th scope="col">{data.groupBy}</th>
                <th scope="col">Received</th>
                <th scope="col">Responded</th>
                <th scope="col">Response rate</th>
                <th scope="col">First response median</th>
                <th scope="col">First response p90</th>
                <th scope="col">Resolved</th>
                <th scope="col">Reopened</th>
                <th scope="col">Resolve median</th>
                <th scope="col">Resolve p90</th>
                <th scope="col">SLA met</th>
                <th scope="col">SLA missed</th>
                <th scope="col">SLA compliance</th>
              </tr>
            </thead>
            <tbody>
              {[...data.groups, data.total].map((g) => (
                <tr key={g.key} className={g === data.total ? 'total' : ''}>
                  <th scope="row">{g.key}</th>
                  <td>{g.received ?? '—'}</td>
                  <td>{g.responded}</td>
                  <td>{pct(g.responseRate)}</td>
                  <td title={g.frtMedianSeconds === null ? '' : `${g.frtMedianSeconds} s`}>{fmtDuration(g.frtMedianSeconds)}</td>
                  <td title={g.frtP90Seconds === null ? '' : `${g.frtP90Seconds} s`}>{fmtDuration(g.frtP90Seconds)}</td>
                  <td>{g.resolved}</td>
                  <td>{g.reopened}</td>
                  <td>{fmtDuration(g.resolveMedianSeconds)}</td>
                  <td>{fmtDuration(g.resolveP90Seconds)}</td>
                  <td>{g.slaMet}</td>
                  <td>{g.slaMissed}</td>
                  <td>{pct(g.slaCompliance)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

function VolumeSection({ query }: { query: string }) {
  const { data, error } = useReport<VolumeReport>('/api/reports/volume', query);
  const intents = data ? Object.keys(data.totals.byIntent).sort() : [];
  return (
    <Section id="volume" title="Volume" path="/api/reports/volume" query={query} error={error}>
      {!data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <StackedChart
            title={`Mentions per ${data.grain} by sentiment`}
            filename="hark-volume-sentiment.png"
            periods={data.points.map((p) => p.period)}
            series={['negative', 'neutral', 'positive'].map((s) => ({ name: s, values: data.points.map((p) => p.bySentiment[s] ?? 0) }))}
            colours={SENTIMENT_COLOURS}
          />
          <StackedChart title={`Mentions per ${data.grain} by intent`} filename="hark-volume-intent.png" periods={data.points.map((p) => p.period)} series={intents.map((s) => ({ name: s, values: data.points.map((p) => p.byIntent[s] ?? 0) }))} />
          <details>
            <summary>Table ({data.points.length} periods, {data.totals.total} mentions)</summary>
            <table className="report-table">
              <thead>
                <tr>
                  <th scope="col">Period (UTC)</th>
                  <th scope="col">Total</th>
                  <th scope="col">Positive</th>
                  <th scope="col">Neutral</th>
                  <th scope="col">Negative</th>
                  {intents.map((i) => (
                    <th key={i} scope="col">
                      {i}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.points.map((p) => (
                  <tr key={p.period}>
                    <th scope="row">{p.period.slice(0, 16).replace('T', ' ')}</th>
                    <td>{p.total}</td>
                    <td>{p.bySentiment.positive ?? 0}</td>
                    <td>{p.bySentiment.neutral ?? 0}</td>
                    <td>{p.bySentiment.negative ?? 0}</td>
                    {intents.map((i) => (
                      <td key={i}>{p.byIntent[i] ?? 0}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </Section>
  );
}

function SovSection({ query }: { query: string }) {
  const { data, error } = useReport<ShareOfVoiceReport>('/api/reports/share-of-voice', query);
  return (
    <Section id="sov" title="Share of voice" path="/api/reports/share-of-voice" query={query} error={error}>
      {!data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <BarChart title="Share of mentions" filename="hark-share-of-voice.png" items={data.brands.map((b) => ({ label: `${b.brand}${b.role === 'competitor' ? ' (competitor)' : ''}`, value: b.share }))} format={(v) => pct(v)} />
          <StackedChart title={`Mentions per ${data.grain} by brand`} filename="hark-share-of-voice-time.png" periods={data.points.map((p) => p.period)} series={data.brands.map((b) => ({ name: b.brand, values: data.points.map((p) => p.mentions[b.brand] ?? 0) }))} />
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">Brand</th>
                <th scope="col">Role</th>
                <th scope="col">Mentions</th>
                <th scope="col">Share</th>
                <th scope="col">Positive</th>
                <th scope="col">Neutral</th>
                <th scope="col">Negative</th>
                <th scope="col">Net sentiment</th>
              </tr>
            </thead>
            <tbody>
              {data.brands.map((b) => (
                <tr key={b.brand}>
                  <th scope="row">{b.brand}</th>
                  <td>{b.role}</td>
                  <td>{b.mentions}</td>
                  <td>{pct(b.share)}</td>
                  <td>{b.positive}</td>
                  <td>{b.neutral}</td>
                  <td>{b.negative}</td>
                  <td>{b.netSentiment === null ? '—' : b.netSentiment.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

function TopicsSection({ query }: { query: string }) {
  const { data, error } = useReport<TopicsReport>('/api/reports/topics', query);
  return (
    <Section id="topics" title="Top negative topics and reasons" path="/api/reports/topics" query={query} error={error}>
      {!data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted">{data.negativeMentions} negative mentions (whole UTC days).</p>
          <div className="report-pair">
            <BarChart title="Topics" filename="hark-negative-topics.png" items={data.topics.map((t) => ({ label: t.topic, value: t.mentions }))} />
            <BarChart title="Reasons" filename="hark-negative-reasons.png" items={data.reasons.map((t) => ({ label: t.reason, value: t.mentions }))} />
          </div>
          <table className="report-table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">Mentions</th>
                <th scope="col">Share of negatives</th>
              </tr>
            </thead>
            <tbody>
              {[...data.topics.map((t) => ['topic', t.topic, t.mentions, t.share] as const), ...data.reasons.map((t) => ['reason', t.reason, t.mentions, t.share] as const)].map(([kind, name, n, share]) => (
                <tr key={`${kind}:${name}`}>
                  <td>{kind}</td>
                  <th scope="row">{name}</th>
                  <td>{n}</td>
                  <td>{pct(share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Section>
  );
}

function ExperienceSection({ query }: { query: string }) {
  const [bump, setBump] = useState(0);
  const { data, error } = useReport<ExperienceReport>('/api/reports/experience', query, bump);
  return (
    <Section id="experience" title="Experience score (EEX)" path="/api/reports/experience" query={query} error={error}>
      {!data ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <p className="muted">
            EEX = Σ(Fₙ·Wₙ)/n over the feedback events: F is the event&apos;s value (0–100), W the weight of its kind, n the number of events. Overall: <b data-testid="eex-overall">{data.overall.eex ?? '—'}</b> over {data.overall.events} events.
          </p>
          <BarChart title="EEX by channel and process" filename="hark-eex.png" items={data.rows.map((r) => ({ label: `${r.network} · ${PROCESS_LABELS[r.process]}`, value: r.eex }))} format={(v) => v.toFixed(1)} />
          <table className="report-table" data-testid="eex-terms">
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">Process</th>
                <th scope="col">Feedback kind</th>
                <th scope="col">Events</th>
                <th scope="col">Σ F</th>
                <th scope="col">W</th>
                <th scope="col">Σ F·W</th>
                <th scope="col">Row events (n)</th>
                <th scope="col">Row EEX</th>
              </tr>
            </thead>
            <tbody>
              {[...data.rows, ...data.byProcess].flatMap((r) =>
                r.terms.map((t, i) => (
                  <tr key={`${r.network}|${r.process}|${t.kind}`}>
                    <th scope="row">{r.network === '*' ? 'all' : r.network}</th>
                    <td>{PROCESS_LABELS[r.process]}</td>
                    <td>{KIND_LABELS[t.kind] ?? t.kind}</td>
                    <td>{t.events}</td>
                    <td>{t.valueSum}</td>
                    <td>{t.weight}</td>
                    <td>{t.weighted}</td>
                    <td>{i === 0 ? r.events : ''}</td>
                    <td>{i === 0 ? (r.eex ?? '—') : ''}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <WeightsForm onSaved={() => setBump((b) => b + 1)} />
        </>
      )}
    </Section>
  );
}

function WeightsForm({ onSaved }: { onSaved: () => void }) {
  const [loaded, setLoaded] = useState<{ weights: EexWeights; version: number } | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    get<{ weights: EexWeights; version: number }>('/api/reports/experience/weights').then((w) => {
      setLoaded(w);
      setDraft(Object.fromEntries(Object.entries(w.weights).map(([k, v]) => [k, String(v)])));
    }, () => undefined);
  }, []);
  if (!loaded) return null;
  const save = async () => {
    const weights = Object.fromEntries(FEEDBACK_KIND_NAMES.map((k) => [k, Number(draft[k] ?? DEFAULT_EEX_WEIGHTS[k])])) as EexWeights;
    try {
      const saved = await api<{ weights: EexWeights; version: number }>('PUT', '/api/reports/experience/weights', { version: loaded.version, weights }, { quiet: true });
      setLoaded(saved);
      setMsg('Weights saved.');
      onSaved();
    } catch (e) {
      setMsg(e instanceof ApiError ? e.message : 'The weights could not be saved.');
    }
  };
  return (
    <form className="eex-weights" aria-label="Experience score weights" onSubmit={(e) => (e.preventDefault(), void save())}>
      <h4>Weights</h4>
      {FEEDBACK_KIND_NAMES.map((k) => (
        <label key={k}>
          {KIND_LABELS[k] ?? k}{' '}
          <input type="number" min={0} max={10} step={0.1} required value={draft[k] ?? ''} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
        </label>
      ))}
      <button type="submit">Save weights</button>
      {msg && (
        <span role="status" className="muted">
          {msg}
        </span>
      )}
    </form>
  );
}

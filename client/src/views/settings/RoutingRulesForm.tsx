import { useState } from 'react';
import { INTENTS, SENTIMENT_LABELS, type Intent, type SentimentLabel } from '../../../../shared/mention.js';
import { NETWORKS } from '../../../../shared/networks.js';
import type { RoutingRule, Team } from '../../../../shared/routing.js';
import { ApiError, post } from '../../api/client';
import { Checks, Field, fieldId, SaveBar, slugOf, splitList } from './FormBits';
import { useSettingDoc } from './useSettingDoc';

interface Preview {
  sample: number;
  unmatched: number;
  rules: Array<{ ruleId: string; count: number; examples: Array<{ id: string; text: string; brand: string | null; intent: string; priority: number }> }>;
}

const PLATFORMS = ['simulator', ...NETWORKS] as const;
type When = RoutingRule['when'];

/** A list condition: absent when empty, so "any" stays "any". */
const listOr = <T,>(v: T[]): T[] | undefined => (v.length > 0 ? v : undefined);
const numOr = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

/** Routing rules: a condition builder over every field the router reads, ordered (first match wins), previewed on the latest mentions. */
export function RoutingRulesForm({ teams }: { teams: Team[] }) {
  const doc = useSettingDoc<RoutingRule[]>('/api/settings/routing-rules', 'rules');
  const [draft, setDraft] = useState<RoutingRule[] | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const rules = draft ?? doc.value ?? [];
  const set = (next: RoutingRule[]) => (setDraft(next), setPreview(null));
  const edit = (i: number, p: Partial<RoutingRule>) => set(rules.map((r, j) => (j === i ? { ...r, ...p } : r)));
  const when = (i: number, p: Partial<When>) => {
    const w = { ...rules[i]!.when, ...p };
    for (const k of Object.keys(w) as (keyof When)[]) if (w[k] === undefined) delete w[k];
    edit(i, { when: w });
  };
  const move = (i: number, d: -1 | 1) => {
    const j = i + d;
    if (j < 0 || j >= rules.length) return;
    const next = [...rules];
    [next[i], next[j]] = [next[j]!, next[i]!];
    set(next);
  };
  const add = () => set([...rules, { id: `rule-${rules.length + 1}`, name: `Rule ${rules.length + 1}`, enabled: true, when: {}, then: { team: teams[0]?.id ?? null, assignLeastLoaded: false } }]);
  const runPreview = async () => {
    setPreviewError(null);
    try {
      setPreview(await post<Preview>('/api/settings/routing-rules/preview', { rules }, { quiet: true }));
    } catch (e) {
      setPreviewError(e instanceof ApiError ? e.message : 'Preview failed');
    }
  };
  const [dragging, setDragging] = useState<number | null>(null);
  return (
    <section aria-labelledby="rules-h">
      <h3 id="rules-h">Routing rules</h3>
      <p className="muted">Rules apply in order to every new mention; the first enabled rule whose conditions all hold wins. Empty conditions match anything.</p>
      {rules.map((r, i) => {
        const p = preview?.rules.find((x) => x.ruleId === r.id);
        const id = (n: string) => fieldId('rule', i, n);
        return (
          <fieldset
            key={i}
            className="card-form"
            data-testid={`rule-${r.id}`}
            draggable
            onDragStart={() => setDragging(i)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={() => {
              if (dragging === null || dragging === i) return;
              const next = [...rules];
              const [moved] = next.splice(dragging, 1);
              next.splice(i, 0, moved!);
              set(next);
              setDragging(null);
            }}
          >
            <legend>
              {i + 1}. {r.name || 'Unnamed rule'}
            </legend>
            <div className="row">
              <button type="button" onClick={() => move(i, -1)} disabled={i === 0} aria-label={`Move ${r.name} up`}>
                ↑
              </button>
              <button type="button" onClick={() => move(i, 1)} disabled={i === rules.length - 1} aria-label={`Move ${r.name} down`}>
                ↓
              </button>
              <label>
                <input type="checkbox" checked={r.enabled} onChange={(e) => edit(i, { enabled: e.target.checked })} /> Enabled
              </label>
            </div>
            <Field id={id('name')} label="Name" error={doc.errorFor(`${i}.name`)}>
              <input id={id('name')} value={r.name} onChange={(e) => edit(i, { name: e.target.value, ...(doc.value?.some((s) => s.id === r.id) ? {} : { id: slugOf(e.target.value) || r.id }) })} />
            </Field>
            <Field id={id('id')} label="Id" error={doc.errorFor(`${i}.id`)}>
              <input id={id('id')} value={r.id} onChange={(e) => edit(i, { id: e.target.value })} />
            </Field>
            <Field id={id('brands')} label="Brands (comma-separated)" error={doc.errorFor(`${i}.when.brands`)}>
              <input id={id('brands')} value={(r.when.brands ?? []).join(', ')} onChange={(e) => when(i, { brands: listOr(splitList(e.target.value)) })} />
            </Field>
            <Field id={id('languages')} label="Languages (codes, comma-separated)" error={doc.errorFor(`${i}.when.languages`)} hint="e.g. en, es, pt">
              <input id={id('languages')} value={(r.when.languages ?? []).join(', ')} onChange={(e) => when(i, { languages: listOr(splitList(e.target.value)) })} />
            </Field>
            <Field id={id('keywords')} label="Any of these words or phrases (comma-separated)" error={doc.errorFor(`${i}.when.keywords`)}>
              <input id={id('keywords')} value={(r.when.keywords ?? []).join(', ')} onChange={(e) => when(i, { keywords: listOr(splitList(e.target.value)) })} />
            </Field>
            <Checks legend="Networks" options={PLATFORMS} value={r.when.platforms ?? []} onChange={(v) => when(i, { platforms: listOr(v) })} />
            <Checks<Intent> legend="Intents" options={INTENTS} value={r.when.intents ?? []} onChange={(v) => when(i, { intents: listOr(v) })} />
            <Checks<SentimentLabel> legend="Sentiments" options={SENTIMENT_LABELS} value={r.when.sentiments ?? []} onChange={(v) => when(i, { sentiments: listOr(v) })} />
            <div className="row">
              <Field id={id('minInfluence')} label="Influence at least (0-100)" error={doc.errorFor(`${i}.when.minInfluence`)}>
                <input id={id('minInfluence')} type="number" min={0} max={100} value={r.when.minInfluence ?? ''} onChange={(e) => when(i, { minInfluence: numOr(e.target.value) })} />
              </Field>
              <Field id={id('minPriority')} label="Priority at least (0-100)" error={doc.errorFor(`${i}.when.minPriority`)}>
                <input id={id('minPriority')} type="number" min={0} max={100} value={r.when.minPriority ?? ''} onChange={(e) => when(i, { minPriority: numOr(e.target.value) })} />
              </Field>
            </div>
            <div className="row">
              <Field id={id('team')} label="Then hand to team" error={doc.errorFor(`${i}.then.team`)}>
                <select id={id('team')} value={r.then.team ?? ''} onChange={(e) => edit(i, { then: { ...r.then, team: e.target.value || null } })}>
                  <option value="">No team</option>
                  {teams.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.name}
                    </option>
                  ))}
                </select>
              </Field>
              <label>
                <input type="checkbox" checked={r.then.assignLeastLoaded} onChange={(e) => edit(i, { then: { ...r.then, assignLeastLoaded: e.target.checked } })} /> and to its least-loaded agent
              </label>
            </div>
            {p && (
              <div className="rule-preview" data-testid={`preview-${r.id}`}>
                <b>
                  Would take {p.count} of the last {preview!.sample} mentions
                </b>
                <ul>
                  {p.examples.map((m) => (
                    <li key={m.id}>
                      <span className="muted">
                        {m.brand} · {m.intent} · P{m.priority}
                      </span>{' '}
                      {m.text}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <button type="button" onClick={() => set(rules.filter((_, j) => j !== i))}>
              Remove rule
            </button>
          </fieldset>
        );
      })}
      <div className="row">
        <button type="button" onClick={add}>
          Add rule
        </button>
        <button type="button" onClick={runPreview} disabled={rules.length === 0}>
          Preview on the last 200 mentions
        </button>
        {preview && <span role="status">{preview.unmatched} of {preview.sample} match no rule.</span>}
        {previewError && <span role="alert" className="field-error">{previewError}</span>}
      </div>
      <SaveBar onSave={() => void doc.save(rules).then((ok) => ok && setDraft(null))} status={doc.status} dirty={draft !== null} onReload={() => (setDraft(null), void doc.load())} />
    </section>
  );
}

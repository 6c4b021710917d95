import { useEffect, useState } from 'react';
import { INTENTS } from '../../../shared/mention.js';
import { NETWORKS, type ListeningQueriesView } from '../../../shared/networks.js';
import { get } from '../api/client';
import { useApp } from '../context';

/** The queue's filters beyond status, sentiment, priority, search and sort (which QueueView shows itself). */
export interface ExtraFilters {
  brand: string;
  platform: string;
  lang: string;
  intent: string;
  assignee: string;
  tag: string;
}
export const EXTRA_DEFAULT: ExtraFilters = { brand: '', platform: '', lang: '', intent: '', assignee: '', tag: '' };
const EXTRA_KEYS = Object.keys(EXTRA_DEFAULT) as (keyof ExtraFilters)[];

/** Languages the pipeline scores (workers/nlp/lexicons.ts), and "und" for undetermined. */
const LANGUAGES: Array<[string, string]> = [['en', 'English'], ['es', 'Spanish'], ['pt', 'Portuguese'], ['fr', 'French'], ['de', 'German'], ['it', 'Italian'], ['nl', 'Dutch'], ['ca', 'Catalan'], ['und', 'Undetermined']];

/**
 * Filters live in the URL (`#/queue?brand=Acme%20Air&lang=es`), so a filtered
 * queue can be bookmarked, shared and reloaded.
 */
export function filtersFromUrl<T extends object>(defaults: T): T {
  const i = location.hash.indexOf('?');
  if (i < 0) return defaults;
  const p = new URLSearchParams(location.hash.slice(i + 1));
  const out = { ...defaults } as Record<string, unknown>;
  for (const k of Object.keys(defaults)) if (p.has(k)) out[k] = p.get(k)!;
  return out as T;
}

export function filtersToUrl<T extends object>(filters: T, defaults: T) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== (defaults as Record<string, unknown>)[k]) p.set(k, String(v));
  const s = p.toString();
  const base = (location.hash.split('?')[0] || '#/queue').replace(/^#?$/, '#/queue');
  history.replaceState(null, '', `${location.pathname}${location.search}${base}${s ? `?${s}` : ''}`);
}

/** The query-string part of the extra filters, for GET /api/mentions. */
export const extraParams = (f: ExtraFilters, me: string) => ({ ...Object.fromEntries(EXTRA_KEYS.map((k) => [k, f[k] || undefined])), assignee: f.assignee === 'me' ? me : f.assignee || undefined });

export function QueueFilters({ value, onChange }: { value: ExtraFilters; onChange: (patch: Partial<ExtraFilters>) => void }) {
  const { users } = useApp();
  const [brands, setBrands] = useState<string[]>([]);
  useEffect(() => {
    get<ListeningQueriesView>('/api/listening-queries', { quiet: true }).then((r) => setBrands([...new Set(r.queries.filter((q) => q.role !== 'competitor').map((q) => q.brand))]), () => undefined);
  }, []);
  return (
    <>
      <select aria-label="Brand" value={value.brand} onChange={(e) => onChange({ brand: e.target.value })} data-testid="filter-brand">
        <option value="">Any brand</option>
        {[...new Set([...brands, ...(value.brand ? [value.brand] : [])])].map((b) => (
          <option key={b}>{b}</option>
        ))}
      </select>
      <select aria-label="Network" value={value.platform} onChange={(e) => onChange({ platform: e.target.value })}>
        <option value="">Any network</option>
        {['simulator', ...NETWORKS].map((n) => (
          <option key={n}>{n}</option>
        ))}
      </select>
      <select aria-label="Language" value={value.lang} onChange={(e) => onChange({ lang: e.target.value })}>
        <option value="">Any language</option>
        {LANGUAGES.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
      <select aria-label="Intent" value={value.intent} onChange={(e) => onChange({ intent: e.target.value })}>
        <option value="">Any intent</option>
        {INTENTS.map((i) => (
          <option key={i}>{i}</option>
        ))}
      </select>
      <select aria-label="Assignee" value={value.assignee} onChange={(e) => onChange({ assignee: e.target.value })}>
        <option value="">Anyone</option>
        <option value="me">Me</option>
        <option value="none">Unassigned</option>
        {[...users.values()].map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <input aria-label="Tag" placeholder="tag" value={value.tag} onChange={(e) => onChange({ tag: e.target.value.trim() })} size={8} />
    </>
  );
}

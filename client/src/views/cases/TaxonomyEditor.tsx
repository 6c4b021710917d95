import { useEffect, useState } from 'react';
import type { CaseTaxonomy } from '../../../../shared/case.js';
import { api, ApiError, get } from '../../api/client';

/** Managers keep the lists of case categories and resolution codes: one field per entry, added and removed in place. */
export function TaxonomyEditor() {
  const [t, setT] = useState<{ taxonomy: CaseTaxonomy; version: number } | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    get<{ taxonomy: CaseTaxonomy; version: number }>('/api/cases/taxonomy').then(setT, () => undefined);
  }, []);
  if (!t) return null;
  const list = (key: keyof CaseTaxonomy, title: string) => (
    <fieldset>
      <legend>{title}</legend>
      {t.taxonomy[key].map((v, i) => (
        <div key={i}>
          <input aria-label={`${title} ${i + 1}`} value={v} onChange={(e) => setT({ ...t, taxonomy: { ...t.taxonomy, [key]: t.taxonomy[key].map((x, j) => (j === i ? e.target.value : x)) } })} />
          <button type="button" aria-label={`Remove ${v}`} onClick={() => setT({ ...t, taxonomy: { ...t.taxonomy, [key]: t.taxonomy[key].filter((_, j) => j !== i) } })}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => setT({ ...t, taxonomy: { ...t.taxonomy, [key]: [...t.taxonomy[key], ''] } })}>
        Add
      </button>
    </fieldset>
  );
  return (
    <details className="taxonomy">
      <summary>Categories and resolution codes</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const clean = { categories: t.taxonomy.categories.map((x) => x.trim()).filter(Boolean), resolutionCodes: t.taxonomy.resolutionCodes.map((x) => x.trim()).filter(Boolean) };
          api<{ taxonomy: CaseTaxonomy; version: number }>('PUT', '/api/cases/taxonomy', { taxonomy: clean, version: t.version }, { quiet: true }).then(
            (r) => (setT(r), setMsg('Saved')),
            (err: unknown) => setMsg(err instanceof ApiError ? err.message : 'Save failed'),
          );
        }}
      >
        {list('categories', 'Categories')}
        {list('resolutionCodes', 'Resolution codes')}
        <button type="submit">Save lists</button> {msg && <span role="status">{msg}</span>}
      </form>
    </details>
  );
}

import type { ListeningQuery } from './networks.js';

/**
 * Whether a brand is one Hark answers for (`own`) or a rival watched for share
 * of voice (`competitor`, against `competitorOf`). Competitor mentions are
 * stored, scored and counted (share of voice, competitor sentiment) but are
 * not work for agents: the pipeline marks them `watching` with the
 * recommendation `watch`, so the default queue view (new, claimed) leaves them out.
 */
export type BrandRoleName = 'own' | 'competitor';
export interface BrandRole {
  role: BrandRoleName;
  competitorOf: string | null;
}

const key = (brand: string) => brand.trim().toLowerCase();

/** Brand → role, from the listening queries. A brand that has an own query anywhere is own; brands no query names are own (the simulator's, the X account's). */
export function brandRolesOf(queries: readonly Pick<ListeningQuery, 'brand' | 'role' | 'competitorOf'>[]): BrandRoles {
  const map = new Map<string, BrandRole & { brand: string }>();
  for (const q of queries) {
    const k = key(q.brand);
    const prev = map.get(k);
    if (q.role === 'own' || !q.competitorOf) map.set(k, { brand: q.brand, role: 'own', competitorOf: null });
    else if (!prev) map.set(k, { brand: q.brand, role: 'competitor', competitorOf: q.competitorOf });
  }
  return new BrandRoles(map);
}

export class BrandRoles {
  constructor(private readonly map: ReadonlyMap<string, BrandRole & { brand: string }> = new Map()) {}
  of(brand: string | null): BrandRole {
    if (!brand) return { role: 'own', competitorOf: null };
    return this.map.get(key(brand)) ?? { role: 'own', competitorOf: null };
  }
  /** The competitors watched against this own brand, by their names as written in the queries. */
  competitorsOf(brand: string): string[] {
    return [...this.map.values()].filter((r) => r.role === 'competitor' && r.competitorOf !== null && key(r.competitorOf) === key(brand)).map((r) => r.brand);
  }
  /** Own brands the queries name. */
  own(): string[] {
    return [...this.map.values()].filter((r) => r.role === 'own').map((r) => r.brand);
  }
}

/**
 * The rule a saved list must keep: a competitor query names the own brand it
 * is a rival of, and that brand has an own query in the same list; an own
 * query names none. Returned as issues with the field, for a 400.
 */
export function queryRoleIssues(queries: readonly Pick<ListeningQuery, 'brand' | 'role' | 'competitorOf'>[]): Array<{ index: number; field: 'competitorOf'; message: string }> {
  const own = new Set(queries.filter((q) => q.role === 'own').map((q) => key(q.brand)));
  const issues: Array<{ index: number; field: 'competitorOf'; message: string }> = [];
  queries.forEach((q, index) => {
    if (q.role === 'own') {
      if (q.competitorOf) issues.push({ index, field: 'competitorOf', message: 'competitorOf is only for competitor queries' });
      return;
    }
    if (!q.competitorOf) issues.push({ index, field: 'competitorOf', message: 'competitorOf is required for a competitor query: name the own brand it competes with' });
    else if (!own.has(key(q.competitorOf))) issues.push({ index, field: 'competitorOf', message: `competitorOf must name an own brand of these queries (${q.competitorOf} has no own query)` });
    else if (key(q.competitorOf) === key(q.brand)) issues.push({ index, field: 'competitorOf', message: 'a brand cannot be its own competitor' });
  });
  return issues;
}

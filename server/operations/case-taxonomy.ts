import type { User } from '../../shared/auth.js';
import { DEFAULT_CASE_TAXONOMY, type CaseTaxonomy } from '../../shared/case.js';
import { ForbiddenError } from '../../shared/errors.js';
import { roleAtLeast } from '../../shared/auth.js';
import { readForReplace, readSetting, writeSetting } from '../settings/registry.js';
import { audit, type OpsDeps } from './deps.js';

export const TAXONOMY_KEY = 'cases.taxonomy' as const;

/** The managed lists of case categories and resolution codes; the defaults until a manager saves them. */
export async function loadCaseTaxonomy(deps: Pick<OpsDeps, 'store'>): Promise<{ taxonomy: CaseTaxonomy; version: number }> {
  const s = await readSetting(deps.store, TAXONOMY_KEY);
  return s ? { taxonomy: s.value, version: s.version } : { taxonomy: DEFAULT_CASE_TAXONOMY, version: 0 };
}

export async function saveCaseTaxonomy(deps: OpsDeps, actor: User, taxonomy: CaseTaxonomy, version: number) {
  if (!roleAtLeast(actor.role, 'manager')) throw new ForbiddenError('Only managers edit categories and resolution codes.');
  const before = await readForReplace(deps.store, TAXONOMY_KEY);
  const saved = await writeSetting(deps.store, TAXONOMY_KEY, taxonomy, version);
  await audit(deps, actor, 'settings.case_taxonomy_changed', 'settings', TAXONOMY_KEY, before.value ?? DEFAULT_CASE_TAXONOMY, saved.value);
  return { taxonomy: saved.value, version: saved.version };
}

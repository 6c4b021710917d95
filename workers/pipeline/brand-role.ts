import type { BrandRoles } from '../../shared/brand-roles.js';
import type { NewMention } from '../../shared/mention.js';

/**
 * Stage between score and route: records whether the mention's brand is own or
 * a competitor's. A competitor's mention is kept and counted (share of voice,
 * competitor sentiment) but is nobody's work: it is `watching` with the
 * recommendation `watch`, so it stays out of the default queue view (new,
 * claimed) and routing rules skip it.
 */
export function assignBrandRoles(batch: Array<{ index: number; mention: NewMention }>, roles: BrandRoles): void {
  for (const { mention: m } of batch) {
    const r = roles.of(m.brand);
    m.brandRole = r.role;
    if (r.role !== 'competitor') continue;
    m.triage.recommendation = 'watch';
    m.triage.status = 'watching';
    m.scores.priority.action = 'watch';
    m.scores.priority.reasons.push(`competitor of ${r.competitorOf}: watched for share of voice, not answered`);
  }
}

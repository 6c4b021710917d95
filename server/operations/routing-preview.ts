import type { Mention } from '../../shared/mention.js';
import { matchRule, type RoutingRule } from '../../shared/routing.js';
import type { OpsDeps } from './deps.js';

export const PREVIEW_SAMPLE = 200;

export interface RulePreview {
  ruleId: string;
  /** How many of the sample this rule would take (first match wins, as in the pipeline). */
  count: number;
  /** A few of them, newest first. */
  examples: Array<Pick<Mention, 'id' | 'text' | 'brand' | 'lang' | 'platform'> & { intent: string; priority: number }>;
}

/**
 * Which of the last 200 mentions each rule would take, with the rules as
 * drafted (not yet saved): the same matchRule the pipeline uses, in order.
 */
export async function previewRouting(deps: Pick<OpsDeps, 'store'>, rules: RoutingRule[]): Promise<{ sample: number; unmatched: number; rules: RulePreview[] }> {
  const page = await deps.store.mentions.list({ sort: 'recent', limit: PREVIEW_SAMPLE });
  const out = new Map(rules.map((r) => [r.id, { ruleId: r.id, count: 0, examples: [] } as RulePreview]));
  let unmatched = 0;
  for (const m of page.items) {
    const rule = matchRule(m, rules);
    if (!rule) {
      unmatched++;
      continue;
    }
    const p = out.get(rule.id)!;
    p.count++;
    if (p.examples.length < 3) p.examples.push({ id: m.id, text: m.text, brand: m.brand, lang: m.lang, platform: m.platform, intent: m.scores.intent.label, priority: m.scores.priority.score });
  }
  return { sample: page.items.length, unmatched, rules: [...out.values()] };
}

import { identityKey } from '../../shared/customer.js';
import type { NewMention } from '../../shared/mention.js';
import { matchRule, type RoutingRule } from '../../shared/routing.js';
import { addSlaMinutes, casePriorityFor, type SlaPolicy } from '../../shared/sla.js';

/** What routing needs from the outside, loaded once per batch. */
export interface RoutingContext {
  rules: RoutingRule[];
  /** Customer ids owning these identities, by `identityKey`. */
  customersOf(identities: Array<{ platform: string; handle: string }>): Promise<Map<string, string>>;
  /** The member of the team with the most free capacity, or null when all are full. */
  leastLoaded(team: string): Promise<string | null>;
  /** The SLA policy: a routed mention's first-response clock starts when it is routed. */
  sla?: SlaPolicy;
}

/**
 * Stage between score and persist: links the author to a known customer and
 * applies the first matching routing rule (team, and optionally an agent).
 */
export async function route(batch: Array<{ index: number; mention: NewMention }>, ctx: RoutingContext): Promise<void> {
  if (batch.length === 0) return;
  const owners = await ctx.customersOf(batch.map((b) => ({ platform: b.mention.platform, handle: b.mention.author.handle })));
  for (const b of batch) {
    const m = b.mention;
    m.customerId = owners.get(identityKey({ platform: m.platform, handle: m.author.handle })) ?? null;
    const rule = ctx.rules.length ? matchRule(m, ctx.rules) : null;
    if (!rule) continue;
    m.triage.team = rule.then.team;
    m.scores.priority.reasons.push(`routed: ${rule.name}`);
    if (ctx.sla && rule.then.team) {
      const target = ctx.sla.targets[casePriorityFor(m.scores.priority.score)];
      m.triage.slaDueAt = addSlaMinutes(new Date(m.ingestedAt), target.firstResponseMinutes, ctx.sla.businessHours).toISOString();
    }
    if (rule.then.assignLeastLoaded && rule.then.team) {
      const agent = await ctx.leastLoaded(rule.then.team);
      if (agent) {
        m.triage.assignee = agent;
        m.triage.status = 'claimed';
        m.triage.claimedAt = m.ingestedAt;
      }
    }
  }
}

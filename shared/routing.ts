import { z } from 'zod';
import { text } from './text.js';
import { IntentSchema, PlatformSchema, SentimentLabelSchema, type Mention, type NewMention } from './mention.js';

const slug = z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'id must be lowercase letters, digits or -');

export const TeamSchema = z
  .object({
    id: slug,
    name: text({ max: 120, required: 'name is required' }),
    /** Replies by this team's members wait for a manager. */
    approvalRequired: z.boolean().default(false),
  })
  .strict();
export type Team = z.infer<typeof TeamSchema>;

export const RoutingRuleSchema = z
  .object({
    id: slug,
    name: text({ max: 120 }),
    enabled: z.boolean().default(true),
    when: z
      .object({
        languages: z.array(z.string().min(2).max(8)).max(50).optional(),
        platforms: z.array(PlatformSchema).max(50).optional(),
        intents: z.array(IntentSchema).max(6).optional(),
        sentiments: z.array(SentimentLabelSchema).max(3).optional(),
        minInfluence: z.number().min(0).max(100).optional(),
        minPriority: z.number().min(0).max(100).optional(),
        /** Any of these words or phrases, case-insensitive. */
        keywords: z.array(text({ max: 100 })).max(100).optional(),
        brands: z.array(text({ max: 128 })).max(50).optional(),
      })
      .strict(),
    then: z
      .object({
        team: z.string().max(64).nullable(),
        /** Hand to the team member with the most free capacity. */
        assignLeastLoaded: z.boolean().default(false),
      })
      .strict(),
  })
  .strict();
export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

type Routable = Pick<NewMention | Mention, 'lang' | 'platform' | 'text' | 'brand'> & { scores: Pick<NewMention['scores'], 'intent' | 'sentiment' | 'influence' | 'priority'> };

/** Rules apply in order; the first enabled rule whose conditions all hold wins. */
export function matchRule(m: Routable, rules: readonly RoutingRule[]): RoutingRule | null {
  const text = m.text.toLowerCase();
  for (const r of rules) {
    if (!r.enabled) continue;
    const w = r.when;
    if (w.languages && !w.languages.includes(m.lang)) continue;
    if (w.platforms && !w.platforms.includes(m.platform)) continue;
    if (w.intents && !w.intents.includes(m.scores.intent.label)) continue;
    if (w.sentiments && !w.sentiments.includes(m.scores.sentiment.label)) continue;
    if (w.minInfluence !== undefined && m.scores.influence.score < w.minInfluence) continue;
    if (w.minPriority !== undefined && m.scores.priority.score < w.minPriority) continue;
    if (w.brands && !(m.brand && w.brands.includes(m.brand))) continue;
    if (w.keywords && !w.keywords.some((k) => text.includes(k.toLowerCase()))) continue;
    return r;
  }
  return null;
}

import { newTriage, type NewMention } from '../../shared/mention.js';

let n = 0;
/** A valid scored mention; override any part. Ids are random so tests never collide. */
export function makeNewMention(over: Partial<NewMention> & { priority?: number; label?: NewMention['scores']['sentiment']['label'] } = {}): NewMention {
  n++;
  const { priority = 50, label = 'neutral', ...rest } = over;
  const createdAt = rest.createdAt ?? new Date(Date.UTC(2026, 10, 24, 12, 0, n % 60)).toISOString();
  return {
    platform: 'x',
    externalId: `${Date.now().toString(36)}-${n}-${Math.random().toString(36).slice(2, 8)}`,
    url: null,
    text: `hello world ${n}`,
    lang: 'en',
    createdAt,
    ingestedAt: createdAt,
    author: { id: null, handle: `user${n}`, name: null, followers: 100, verified: false, url: null },
    engagement: { likes: 0, reposts: 0, replies: 0 },
    inReplyTo: null,
    conversationId: null,
    brand: 'Acme',
    query: null,
    demo: false,
    scores: {
      sentiment: { label, score: label === 'negative' ? -0.5 : label === 'positive' ? 0.5 : 0, confidence: 0.8, method: 'test' },
      influence: { score: 10, parts: { followers: 10, verified: 0, engagement: 0 } },
      intent: { label: 'other', confidence: 0.5, cues: [] },
      priority: { score: priority, action: 'watch', reasons: ['test'] },
      risks: [],
    },
    triage: newTriage('watch'),
    customerId: null,
    ...rest,
  };
}

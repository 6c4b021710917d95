import { describe, expect, it } from 'vitest';
import type { Mention } from '../../../shared/mention.js';
import type { FeedbackEvent, ReportIncrement } from '../../../shared/reports.js';
import type { FeedbackWait } from '../../../shared/store.js';
import { recordFeedback } from '../../../workers/pipeline/feedback.js';
import { makeNewMention } from '../../support/fixtures.js';

function fakeReports(waits: FeedbackWait[]) {
  const added: ReportIncrement[] = [];
  const noted: FeedbackEvent[] = [];
  const store = new Map(waits.map((w) => [w.key, w]));
  return {
    added,
    noted,
    store,
    reports: {
      async takeFeedback({ keys, since }: { keys: string[]; since: string }) {
        const out = keys.map((k) => store.get(k)).filter((w): w is FeedbackWait => !!w && w.repliedAt >= since);
        for (const w of out) store.delete(w.key);
        return out;
      },
      async awaitFeedback({ wait }: { wait: FeedbackWait }) {
        store.set(wait.key, wait);
      },
      async add({ increments }: { increments: ReportIncrement[] }) {
        added.push(...increments);
      },
      async noteFeedback({ events }: { events: FeedbackEvent[] }) {
        noted.push(...events);
      },
    },
  };
}
const mention = (handle: string, createdAt: string, label: 'positive' | 'neutral' | 'negative', id: string): Mention => ({
  ...makeNewMention({ createdAt, label, author: { id: null, handle, name: null, followers: 1, verified: false, url: null } }),
  id,
  version: 1,
  caseId: null,
});

describe('feedback events at ingest', () => {
  const now = () => new Date('2026-11-20T12:00:00Z');
  const wait = (handle: string, repliedAt: string): FeedbackWait => ({ key: `x\u0000${handle}`, repliedAt, mentionId: '1', brand: 'Acme', network: 'x' });

  it('the earliest next mention of a replied author is one event valued by its sentiment; others are not events', async () => {
    const f = fakeReports([wait('ann', '2026-11-20T10:00:00Z'), wait('bob', '2026-11-20T10:00:00Z')]);
    const n = await recordFeedback([mention('Ann', '2026-11-20T11:30:00Z', 'neutral', '7'), mention('ann', '2026-11-20T11:00:00Z', 'negative', '6'), mention('cy', '2026-11-20T11:00:00Z', 'positive', '8')], { reports: f.reports, now });
    expect(n).toBe(1);
    expect(f.added).toEqual([{ at: '2026-11-20T11:00:00Z', dim: 'eex', value: 'triage_response|reply_followup|x', brand: 'Acme', network: 'x', metric: 'feedback', bucket: -1, n: 1, sum: 0 }]);
    expect([...f.store.keys()]).toEqual(['x\u0000bob']);
    // Kept under the mention, for a later correction of its sentiment.
    expect(f.noted).toEqual([{ mentionId: '6', kind: 'reply_followup', value: 0, at: '2026-11-20T11:00:00Z', brand: 'Acme', network: 'x' }]);
  });

  it('a post older than the reply (fetched late) is no answer: the wait goes back; an expired wait is not taken', async () => {
    const f = fakeReports([wait('ann', '2026-11-20T10:00:00Z'), wait('old', '2026-11-01T10:00:00Z')]);
    expect(await recordFeedback([mention('ann', '2026-11-20T09:00:00Z', 'positive', '9'), mention('old', '2026-11-20T11:00:00Z', 'positive', '10')], { reports: f.reports, now })).toBe(0);
    expect(f.added).toEqual([]);
    expect(f.store.get('x\u0000ann')?.repliedAt).toBe('2026-11-20T10:00:00Z');
  });
});

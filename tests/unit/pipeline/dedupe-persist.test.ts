import { describe, expect, it } from 'vitest';
import { ConflictError, TransientError } from '../../../shared/errors.js';
import { mentionKey, type NewMention } from '../../../shared/mention.js';
import { dedupe } from '../../../workers/pipeline/dedupe.js';
import { persist } from '../../../workers/pipeline/persist.js';
import { makeNewMention } from '../../support/fixtures.js';

describe('dedupe stage', () => {
  it('drops stored mentions and repeats inside the batch', async () => {
    const a = makeNewMention();
    const b = makeNewMention();
    const c = makeNewMention();
    const batch = [a, b, { ...b }, c].map((mention, index) => ({ index, mention }));
    const { fresh, duplicates } = await dedupe(batch, { mentions: { existingKeys: async () => new Set([mentionKey(a)]) } });
    expect(fresh.map((f) => f.index)).toEqual([1, 3]);
    expect(duplicates).toBe(2);
  });
});

describe('persist stage', () => {
  const stored = (m: NewMention, i: number) => ({ ...m, id: String(i), version: 1, caseId: null, customerId: null });

  it('isolates one record the store refuses and keeps the others', async () => {
    const batch = [makeNewMention(), makeNewMention({ text: 'poison' }), makeNewMention()].map((mention, index) => ({ index, mention }));
    const res = await persist(batch, {
      mentions: {
        async insertMany({ mentions }) {
          if (mentions.some((m) => m.text === 'poison')) throw new ConflictError('nope');
          return { inserted: mentions.map(stored), duplicates: 0 };
        },
      },
    });
    expect(res.inserted).toHaveLength(2);
    expect(res.rejected).toEqual([{ index: 1, message: expect.stringContaining('nope') }]);
  });

  it('lets "database unavailable" through so the queue retries the whole batch', async () => {
    const batch = [{ index: 0, mention: makeNewMention() }];
    await expect(persist(batch, { mentions: { insertMany: async () => Promise.reject(new TransientError('busy')) } })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

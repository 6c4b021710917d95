import { describe, expect, it } from 'vitest';
import { ConflictError, TransientError } from '../../../shared/errors.js';
import { mentionKey, type NewMention } from '../../../shared/mention.js';
import { dedupe } from '../../../workers/pipeline/dedupe.js';
import { persist, WRITE_CHUNK } from '../../../workers/pipeline/persist.js';
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

  it('writes a large batch in chunks and lets other work run between them', async () => {
    const batch = Array.from({ length: WRITE_CHUNK * 2 + 50 }, (_, index) => ({ index, mention: makeNewMention() }));
    const writes: number[] = [];
    const between: number[] = [];
    let ran = 0;
    // A request waiting on the event loop: it must get a turn before the last write, not after the whole batch.
    const tick = setInterval(() => ran++, 0);
    const res = await persist(batch, {
      mentions: {
        async insertMany({ mentions }) {
          writes.push(mentions.length);
          between.push(ran);
          return { inserted: mentions.map(stored), duplicates: 0 };
        },
      },
    });
    clearInterval(tick);
    expect(writes).toEqual([WRITE_CHUNK, WRITE_CHUNK, 50]);
    expect(between[2]).toBeGreaterThan(between[0]!);
    expect(res.inserted).toHaveLength(batch.length);
  });

  it('isolates a refused record within its chunk only', async () => {
    const batch = Array.from({ length: WRITE_CHUNK + 10 }, (_, index) => ({ index, mention: makeNewMention(index === WRITE_CHUNK + 3 ? { text: 'poison' } : {}) }));
    const res = await persist(batch, {
      mentions: {
        async insertMany({ mentions }) {
          if (mentions.some((m) => m.text === 'poison')) throw new ConflictError('nope');
          return { inserted: mentions.map(stored), duplicates: 0 };
        },
      },
    });
    expect(res.inserted).toHaveLength(batch.length - 1);
    expect(res.rejected).toEqual([{ index: WRITE_CHUNK + 3, message: expect.stringContaining('nope') }]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTriage } from '../../shared/mention.js';
import { makeNewMention } from '../support/fixtures.js';
import type { StoreHandle } from './store-contract.js';

const at = (min: number, sec = 0) => new Date(Date.UTC(2026, 11, 1, 10, min, sec)).toISOString();

/** Roll-ups the wall reads (tests/contract/STORAGE.md, C-WALL-*), for each adapter. */
export function registerWallContract(name: string, create: () => Promise<StoreHandle>) {
  describe(`wall roll-ups contract: ${name}`, () => {
    let h: StoreHandle;
    beforeEach(async () => {
      h = await create();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    it('C-WALL-1 counts each stored mention once per brand and minute, by sentiment, duplicates and brandless mentions left out', async () => {
      const a = makeNewMention({ brand: 'Acme', label: 'negative', createdAt: at(1, 5) });
      await h.store.mentions.insertMany({
        mentions: [a, makeNewMention({ brand: 'Acme', label: 'positive', createdAt: at(1, 30) }), makeNewMention({ brand: 'Globex', label: 'neutral', createdAt: at(1, 40) }), makeNewMention({ brand: null, label: 'negative', createdAt: at(1, 41) }), makeNewMention({ brand: 'Acme', label: 'negative', createdAt: at(3, 0) })],
      });
      await h.store.mentions.insertMany({ mentions: [{ ...a, text: 'again' }] });
      const rows = await h.store.wallRollups.series({ span: 'minute', from: at(0), to: at(10) });
      expect(rows).toEqual([
        { brand: 'Acme', start: at(1), negative: 1, neutral: 0, positive: 1, scoreSum: 0 },
        { brand: 'Globex', start: at(1), negative: 0, neutral: 1, positive: 0, scoreSum: 0 },
        { brand: 'Acme', start: at(3), negative: 1, neutral: 0, positive: 0, scoreSum: -0.5 },
      ]);
      const hours = await h.store.wallRollups.series({ span: 'hour', from: at(0), to: at(59) });
      expect(hours).toEqual([
        { brand: 'Acme', start: at(0), negative: 2, neutral: 0, positive: 1, scoreSum: -0.5 },
        { brand: 'Globex', start: at(0), negative: 0, neutral: 1, positive: 0, scoreSum: 0 },
      ]);
    });

    it('C-WALL-2 filters by brands, networks and languages and sums over the rest; [from, to) by bucket start', async () => {
      await h.store.mentions.insertMany({
        mentions: [
          makeNewMention({ brand: 'Acme', platform: 'x', lang: 'en', label: 'negative', createdAt: at(2, 1) }),
          makeNewMention({ brand: 'Acme', platform: 'reddit', lang: 'en', label: 'negative', createdAt: at(2, 2) }),
          makeNewMention({ brand: 'Acme', platform: 'x', lang: 'fr', label: 'positive', createdAt: at(2, 3) }),
          makeNewMention({ brand: 'Globex', platform: 'x', lang: 'en', label: 'positive', createdAt: at(2, 4) }),
          makeNewMention({ brand: 'Acme', platform: 'x', lang: 'en', label: 'neutral', createdAt: at(5, 0) }),
        ],
      });
      const q = (over: object) => h.store.wallRollups.series({ span: 'minute', from: at(2, 30), to: at(5), ...over });
      expect(await q({ brands: ['Acme'] })).toEqual([{ brand: 'Acme', start: at(2), negative: 2, neutral: 0, positive: 1, scoreSum: -0.5 }]);
      expect(await q({ brands: ['Acme'], platforms: ['x'] })).toEqual([{ brand: 'Acme', start: at(2), negative: 1, neutral: 0, positive: 1, scoreSum: 0 }]);
      expect(await q({ platforms: ['x'], langs: ['en'] })).toEqual([
        { brand: 'Acme', start: at(2), negative: 1, neutral: 0, positive: 0, scoreSum: -0.5 },
        { brand: 'Globex', start: at(2), negative: 0, neutral: 0, positive: 1, scoreSum: 0.5 },
      ]);
      expect(await q({ langs: ['de'] })).toEqual([]);
    });

    it('C-WALL-4 counts the mentions waiting for an answer up to a cap, with the oldest', async () => {
      expect(await h.store.wallRollups.waiting({ cap: 10 })).toEqual({ count: 0, oldestAt: null });
      await h.store.mentions.insertMany({
        mentions: [
          makeNewMention({ createdAt: at(4), triage: newTriage('respond') }),
          makeNewMention({ createdAt: at(2), triage: newTriage('respond') }),
          makeNewMention({ createdAt: at(3), triage: newTriage('respond') }),
          makeNewMention({ createdAt: at(1), triage: newTriage('watch', 'watching') }),
        ],
      });
      expect(await h.store.wallRollups.waiting({ cap: 10 })).toEqual({ count: 3, oldestAt: at(2) });
      expect((await h.store.wallRollups.waiting({ cap: 2 })).count).toBe(2);
    });
  });
}

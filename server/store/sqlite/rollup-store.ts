import type { RollupBucket, RollupStore } from '../../../shared/store.js';
import { minuteOf, type Prepare } from './prepare.js';

export function rollupStore(prepare: Prepare): RollupStore {
  return {
    async brandSeries({ from, to }) {
      const rows = prepare('SELECT brand, minute, negative, total FROM brand_minutes WHERE minute >= ? AND minute < ? ORDER BY minute, brand').all(minuteOf(from), Date.parse(to)) as Array<{ brand: string; minute: number; negative: number; total: number }>;
      return rows.map((r) => ({ brand: r.brand, minute: new Date(r.minute).toISOString(), negative: r.negative, total: r.total }));
    },
    async series({ from, to }) {
      const rows = prepare(
        'SELECT minute, negative, neutral, positive, score_sum FROM rollups WHERE minute >= ? AND minute < ? ORDER BY minute',
      ).all(minuteOf(from), Date.parse(to)) as Array<{ minute: number; negative: number; neutral: number; positive: number; score_sum: number }>;
      return rows.map(
        (r): RollupBucket => ({
          minute: new Date(r.minute).toISOString(),
          negative: r.negative,
          neutral: r.neutral,
          positive: r.positive,
          scoreSum: r.score_sum,
        }),
      );
    },
  };
}


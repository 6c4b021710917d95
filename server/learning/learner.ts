import { INTENTS, SENTIMENT_LABELS, type Intent, type SentimentLabel } from '../../shared/mention.js';
import type { Logger } from '../../shared/log.js';
import type { Correction, Store } from '../../shared/store.js';
import { IntentModel, SentimentModel, type TextClassifier } from '../../workers/nlp/model.js';
import { featuresFor, TRAINING } from '../../workers/nlp/training.js';
import { brandWordsOf } from '../../workers/nlp/brand-words.js';
import type { LearnedModels } from '../../workers/nlp/index.js';
import type { LearnedChanges } from '../../workers/pipeline/score-pool.js';
import { readForReplace, readSetting, settingKeys, writeSetting } from '../settings/registry.js';

const ANY_BRAND = '*';
const keyOf = (kind: 'sentiment' | 'intent', brand: string | null) => `model.${kind}.${brand ?? ANY_BRAND}` as const;

interface Entry {
  sentiment: SentimentModel | null;
  intent: IntentModel | null;
}

/**
 * Per-brand models that learn from agents' corrections: each correction
 * updates the model at once (one online step), and a debounced background
 * retrain over all of the brand's corrections replaces it a few seconds later.
 * Models are kept in the store, so they survive restarts.
 */
export function createLearner(deps: { store: Store; log: Logger; retrainDelayMs?: number; onSaved?: (kind: 'sentiment' | 'intent', brand: string | null) => void }) {
  const models = new Map<string, Entry>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  // Which brands' models changed at which revision, so scoring threads are sent only what they lack.
  let revision = 0;
  const changedAt = new Map<string, number>();
  const touch = (brand: string | null) => changedAt.set(brand ?? ANY_BRAND, ++revision);

  const entry = (brand: string | null) => {
    const k = brand ?? ANY_BRAND;
    let e = models.get(k);
    if (!e) models.set(k, (e = { sentiment: null, intent: null }));
    return e;
  };

  async function load() {
    for (const key of await settingKeys(deps.store, 'model.')) {
      const [, kind, ...rest] = key.split('.');
      const brand = rest.join('.');
      try {
        const doc = await readSetting(deps.store, key);
        if (!doc) continue;
        const e = entry(brand === ANY_BRAND ? null : brand);
        if (kind === 'sentiment') e.sentiment = SentimentModel.load(doc.value);
        if (kind === 'intent') e.intent = IntentModel.load(doc.value);
        touch(brand === ANY_BRAND ? null : brand);
      } catch (err) {
        deps.log.warn('stored model ignored', { key, err });
      }
    }
  }

  async function save(kind: 'sentiment' | 'intent', brand: string | null, model: TextClassifier<string>) {
    const key = keyOf(kind, brand);
    const value = model.save();
    for (let attempt = 0; attempt < 3; attempt++) {
      const cur = await readForReplace(deps.store, key);
      try {
        await writeSetting(deps.store, key, value, cur.version);
        return;
      } catch (e) {
        if (attempt === 2) throw e;
      }
    }
  }

  async function retrain(kind: 'sentiment' | 'intent', brand: string | null) {
    const rows = await deps.store.corrections.list({ brand, kind, limit: 100_000 });
    if (rows.length === 0) return;
    // The same training as `hark train` and the benchmark's learning curve.
    const model = kind === 'sentiment' ? new SentimentModel(TRAINING.rate, TRAINING.l2) : new IntentModel(TRAINING.rate, TRAINING.l2);
    const labels: readonly string[] = kind === 'sentiment' ? SENTIMENT_LABELS : INTENTS;
    // The scorer leaves the brand's own name out of the lexicon's verdict; training must see the same features.
    const words = brandWordsOf([brand]);
    const data = rows.filter((r) => labels.includes(r.label)).map((r) => ({ f: featuresFor(r.text, r.lang, words), label: r.label }));
    (model as TextClassifier<string>).train(data, TRAINING.epochs);
    const e = entry(brand);
    if (kind === 'sentiment') e.sentiment = model as SentimentModel;
    else e.intent = model as IntentModel;
    touch(brand);
    await save(kind, brand, model as TextClassifier<string>);
    deps.onSaved?.(kind, brand);
    deps.log.info('model retrained', { kind, brand, examples: data.length });
  }

  const schedule = (kind: 'sentiment' | 'intent', brand: string | null) => {
    const k = keyOf(kind, brand);
    clearTimeout(timers.get(k));
    timers.set(
      k,
      setTimeout(() => {
        timers.delete(k);
        const p = retrain(kind, brand)
          .catch((err: unknown) => deps.log.error('retrain failed', { kind, brand, err }))
          .finally(() => running.delete(p));
        running.add(p);
      }, deps.retrainDelayMs ?? 5000),
    );
  };

  const models_ = (k: string) => models.get(k);
  return {
    load,
    /** What the scorer consults for a mention of this brand. */
    modelsFor(brand: string | null): LearnedModels {
      const e = models.get(brand ?? ANY_BRAND);
      return { sentiment: e?.sentiment ?? null, intent: e?.intent ?? null };
    },
    /** The models changed after `since` (a revision this returned before; -1 for all), exactly as they are now. */
    changesSince(since: number): LearnedChanges {
      const models: LearnedChanges['models'] = [];
      for (const [k, rev] of changedAt) {
        if (rev <= since) continue;
        const e = models_(k);
        models.push({ brand: k === ANY_BRAND ? null : k, sentiment: e?.sentiment?.exportState() ?? null, intent: e?.intent?.exportState() ?? null });
      }
      return { revision, models };
    },
    revision: () => revision,
    /** Applies one correction now and schedules the brand's background retrain. */
    learn(c: Omit<Correction, 'id'>) {
      const e = entry(c.brand);
      const f = featuresFor(c.text, c.lang, brandWordsOf([c.brand]));
      if (c.kind === 'sentiment') {
        e.sentiment ??= new SentimentModel();
        e.sentiment.learn(f, c.label as SentimentLabel, 2);
      } else {
        e.intent ??= new IntentModel();
        e.intent.learn(f, c.label as Intent, 2);
      }
      touch(c.brand);
      schedule(c.kind, c.brand);
    },
    /** Runs pending retrains now (shutdown, tests). */
    async flush() {
      const pending = [...timers.entries()];
      for (const [k, t] of pending) {
        clearTimeout(t);
        timers.delete(k);
        const [, kind, ...rest] = k.split('.');
        const brand = rest.join('.');
        await retrain(kind as 'sentiment' | 'intent', brand === ANY_BRAND ? null : brand);
      }
      await Promise.all(running);
    },
  };
}
export type Learner = ReturnType<typeof createLearner>;

import { parentPort } from 'node:worker_threads';
import { createScorer, type LearnedModels, type Scorer } from '../nlp/index.js';
import { IntentModel, SentimentModel } from '../nlp/model.js';
import type { ThreadReply, ThreadRequest } from './score-pool.js';

/**
 * One scoring thread of the pool (score-pool.ts): it keeps its own scorer,
 * rebuilt when the brand words change, and its own copy of the learned models,
 * replaced brand by brand as the pool sends them; messages arrive in order, so
 * a chunk is always scored with every update sent before it.
 */
const port = parentPort;
if (!port) throw new Error('score-thread runs as a worker thread of the scoring pool');

const learned = new Map<string | null, LearnedModels>();
const modelsFor = (brand: string | null): LearnedModels => learned.get(brand) ?? { sentiment: null, intent: null };
let scorer: Scorer = createScorer({ brands: [], learned: modelsFor });

port.on('message', (msg: ThreadRequest) => {
  if (msg.t === 'brands') {
    scorer = createScorer({ brands: msg.brands, learned: modelsFor });
    return;
  }
  if (msg.t === 'models') {
    for (const m of msg.models) {
      learned.set(m.brand, { sentiment: m.sentiment ? SentimentModel.fromState(m.sentiment) : null, intent: m.intent ? IntentModel.fromState(m.intent) : null });
    }
    return;
  }
  const results: ThreadReply['results'] = [];
  for (const input of msg.inputs) {
    try {
      results.push(scorer.score(input));
    } catch (e) {
      results.push({ error: e instanceof Error ? e.message : String(e) });
    }
  }
  port.postMessage({ t: 'scored', id: msg.id, results } satisfies ThreadReply);
});

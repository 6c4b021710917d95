import { SENTIMENT_LABELS, type SentimentLabel } from '../../shared/mention.js';
import { DIMS, type Features } from './features.js';

const K = SENTIMENT_LABELS.length;

export interface SavedModel {
  kind: 'hark-sentiment-lr';
  version: 1;
  dims: number;
  labels: SentimentLabel[];
  examples: number;
  bias: number[];
  /** Sparse weights: bucket → one weight per label. */
  weights: Record<string, number[]>;
}

/**
 * Multinomial logistic regression over hashed features, trained online with
 * AdaGrad: it learns from a file at once or from agents' corrections one by
 * one, and saves to a small sparse JSON document.
 */
export class SentimentModel {
  private w = new Map<number, Float64Array>();
  private g = new Map<number, Float64Array>();
  private bias = new Float64Array(K);
  private gBias = new Float64Array(K).fill(1e-8);
  examples = 0;

  constructor(
    private readonly rate = 0.5,
    private readonly l2 = 1e-5,
  ) {}

  probabilities(f: Features): number[] {
    const z = Array.from(this.bias);
    for (const [k, v] of f) {
      const wk = this.w.get(k);
      if (wk) for (let c = 0; c < K; c++) z[c]! += wk[c]! * v;
    }
    const max = Math.max(...z);
    const e = z.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  }

  predict(f: Features): { label: SentimentLabel; probabilities: number[] } {
    const p = this.probabilities(f);
    let best = 0;
    for (let c = 1; c < K; c++) if (p[c]! > p[best]!) best = c;
    return { label: SENTIMENT_LABELS[best]!, probabilities: p };
  }

  /** One gradient step on one example; `weight` lets rare classes count more. */
  learn(f: Features, label: SentimentLabel, weight = 1) {
    const y = SENTIMENT_LABELS.indexOf(label);
    const p = this.probabilities(f);
    for (let c = 0; c < K; c++) {
      const grad = (p[c]! - (c === y ? 1 : 0)) * weight;
      this.gBias[c]! += grad * grad;
      this.bias[c]! -= (this.rate * grad) / Math.sqrt(this.gBias[c]!);
    }
    for (const [k, v] of f) {
      let wk = this.w.get(k);
      let gk = this.g.get(k);
      if (!wk || !gk) {
        wk = new Float64Array(K);
        gk = new Float64Array(K).fill(1e-8);
        this.w.set(k, wk);
        this.g.set(k, gk);
      }
      for (let c = 0; c < K; c++) {
        const grad = (p[c]! - (c === y ? 1 : 0)) * v * weight + this.l2 * wk[c]!;
        gk[c]! += grad * grad;
        wk[c]! -= (this.rate * grad) / Math.sqrt(gk[c]!);
      }
    }
    this.examples++;
  }

  /** Several passes over a set, shuffled each time, with class weights against imbalance. */
  train(data: Array<{ f: Features; label: SentimentLabel }>, epochs = 5, seed = 1) {
    const counts = new Map<SentimentLabel, number>();
    for (const d of data) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
    const weightOf = (l: SentimentLabel) => data.length / (K * (counts.get(l) ?? 1));
    let s = seed;
    const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const before = this.examples;
    const order = data.map((_, i) => i);
    for (let e = 0; e < epochs; e++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) this.learn(data[i]!.f, data[i]!.label, Math.min(3, weightOf(data[i]!.label)));
    }
    this.examples = before + data.length;
  }

  save(): SavedModel {
    const weights: Record<string, number[]> = {};
    for (const [k, v] of this.w) if (v.some((x) => Math.abs(x) > 1e-4)) weights[k] = Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
    return { kind: 'hark-sentiment-lr', version: 1, dims: DIMS, labels: [...SENTIMENT_LABELS], examples: this.examples, bias: Array.from(this.bias), weights };
  }

  static load(doc: unknown): SentimentModel {
    const d = doc as Partial<SavedModel> | null;
    if (!d || d.kind !== 'hark-sentiment-lr' || d.version !== 1 || d.dims !== DIMS || !Array.isArray(d.bias) || typeof d.weights !== 'object' || d.weights === null) {
      throw new Error('not a Hark sentiment model (kind hark-sentiment-lr, version 1)');
    }
    const m = new SentimentModel();
    m.bias = Float64Array.from(d.bias);
    for (const [k, v] of Object.entries(d.weights)) {
      m.w.set(Number(k), Float64Array.from(v));
      m.g.set(Number(k), new Float64Array(K).fill(1));
    }
    m.examples = d.examples ?? 0;
    return m;
  }
}

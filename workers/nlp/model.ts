import { INTENTS, SENTIMENT_LABELS, type Intent, type SentimentLabel } from '../../shared/mention.js';
import { DIMS, type Features } from './features.js';

export interface SavedModel<L extends string = string> {
  kind: 'hark-sentiment-lr' | 'hark-intent-lr';
  version: 1;
  dims: number;
  labels: L[];
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
/** A classifier's exact weights, as `exportState` gives them (cloneable: typed arrays in a Map). */
export interface ModelState {
  kind: SavedModel['kind'];
  examples: number;
  bias: Float64Array;
  weights: Map<number, Float64Array>;
}

export class TextClassifier<L extends string> {
  private w = new Map<number, Float64Array>();
  private g = new Map<number, Float64Array>();
  private bias: Float64Array;
  private gBias: Float64Array;
  examples = 0;
  private readonly k: number;

  constructor(
    readonly labels: readonly L[],
    readonly kind: SavedModel['kind'],
    private readonly rate = 0.2,
    private readonly l2 = 1e-5,
  ) {
    this.k = labels.length;
    this.bias = new Float64Array(this.k);
    this.gBias = new Float64Array(this.k).fill(1e-8);
  }

  probabilities(f: Features): number[] {
    const K = this.k;
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

  predict(f: Features): { label: L; probabilities: number[] } {
    const p = this.probabilities(f);
    let best = 0;
    for (let c = 1; c < this.k; c++) if (p[c]! > p[best]!) best = c;
    return { label: this.labels[best]!, probabilities: p };
  }

  /** One gradient step on one example; `weight` lets rare classes count more. */
  learn(f: Features, label: L, weight = 1) {
    const K = this.k;
    const y = this.labels.indexOf(label);
    if (y < 0) throw new Error(`unknown label ${label}`);
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
  train(data: Array<{ f: Features; label: L }>, epochs = 5, seed = 1) {
    const counts = new Map<L, number>();
    for (const d of data) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
    // Class weights between none and full balance (power 3/4): rare classes count more, but not so much that a few corrections of one swing the model.
    const weightOf = (l: L) => (data.length / (this.k * (counts.get(l) ?? 1))) ** 0.75;
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

  save(): SavedModel<L> {
    const weights: Record<string, number[]> = {};
    for (const [k, v] of this.w) if (v.some((x) => Math.abs(x) > 1e-4)) weights[k] = Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
    return { kind: this.kind, version: 1, dims: DIMS, labels: [...this.labels], examples: this.examples, bias: Array.from(this.bias), weights };
  }

  /**
   * The weights exactly as they are (no rounding, unlike `save`), for handing
   * the model to a scoring thread: structured cloning copies them, and
   * `fromState` on the other side predicts the very same probabilities.
   */
  exportState(): ModelState {
    return { kind: this.kind, examples: this.examples, bias: this.bias, weights: this.w };
  }

  protected restoreState(s: ModelState) {
    this.bias = Float64Array.from(s.bias);
    this.w = new Map(s.weights);
    this.g = new Map([...s.weights.keys()].map((k) => [k, new Float64Array(this.k).fill(1)]));
    this.examples = s.examples;
  }

  /** Restores a saved model; AdaGrad history restarts, so learning from corrections stays brisk. */
  protected restore(d: SavedModel) {
    this.bias = Float64Array.from(d.bias);
    for (const [k, v] of Object.entries(d.weights)) {
      this.w.set(Number(k), Float64Array.from(v));
      this.g.set(Number(k), new Float64Array(this.k).fill(1));
    }
    this.examples = d.examples ?? 0;
  }

  protected static check(doc: unknown, kind: SavedModel['kind'], labels: readonly string[]): SavedModel {
    const d = doc as Partial<SavedModel> | null;
    if (!d || d.kind !== kind || d.version !== 1 || d.dims !== DIMS || !Array.isArray(d.bias) || typeof d.weights !== 'object' || d.weights === null || JSON.stringify(d.labels) !== JSON.stringify(labels)) {
      throw new Error(`not a Hark ${kind === 'hark-sentiment-lr' ? 'sentiment' : 'intent'} model (kind ${kind}, version 1)`);
    }
    return d as SavedModel;
  }
}

export class SentimentModel extends TextClassifier<SentimentLabel> {
  constructor(rate = 0.2, l2 = 1e-5) {
    super(SENTIMENT_LABELS, 'hark-sentiment-lr', rate, l2);
  }
  static load(doc: unknown): SentimentModel {
    const m = new SentimentModel();
    m.restore(TextClassifier.check(doc, 'hark-sentiment-lr', SENTIMENT_LABELS));
    return m;
  }
  static fromState(s: ModelState): SentimentModel {
    if (s.kind !== 'hark-sentiment-lr') throw new Error(`not a sentiment model state (${s.kind})`);
    const m = new SentimentModel();
    m.restoreState(s);
    return m;
  }
}

export class IntentModel extends TextClassifier<Intent> {
  constructor(rate = 0.2, l2 = 1e-5) {
    super(INTENTS, 'hark-intent-lr', rate, l2);
  }
  static load(doc: unknown): IntentModel {
    const m = new IntentModel();
    m.restore(TextClassifier.check(doc, 'hark-intent-lr', INTENTS));
    return m;
  }
  static fromState(s: ModelState): IntentModel {
    if (s.kind !== 'hark-intent-lr') throw new Error(`not an intent model state (${s.kind})`);
    const m = new IntentModel();
    m.restoreState(s);
    return m;
  }
}

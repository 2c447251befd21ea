/**
 * Multinomial logistic regression (softmax) over sparse hashed features, trained by seeded stochastic
 * gradient descent with weight averaging (the regulariser here). Small and exact enough for a few thousand messages; the
 * weights are stored as 8-bit integers with one scale per class (models/classifier.json).
 */
import type { SparseVector } from './features.js';

export interface LinearModel {
  classes: readonly string[];
  dimensions: number;
  /** Row-major: weights[c * dimensions + j]. */
  weights: Float32Array;
  bias: Float32Array;
}

export interface TrainOptions {
  epochs: number;
  /** Initial step size. */
  rate: number;
  seed: number;
  /** Per-example weight (class balance, or P0 counted more); 1 when absent. */
  weightOf?: (label: string) => number;
}

/** Mulberry32: a tiny seeded generator, so training twice gives the same model. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function scores(model: LinearModel, x: SparseVector, out: Float64Array, scale = 1): void {
  const { weights, bias, dimensions } = model;
  for (let c = 0; c < out.length; c++) {
    let s = 0;
    const row = c * dimensions;
    for (let k = 0; k < x.index.length; k++) s += (weights[row + (x.index[k] as number)] as number) * (x.value[k] as number);
    out[c] = s * scale + (bias[c] as number);
  }
}

function softmaxInPlace(v: Float64Array): void {
  let max = -Infinity;
  for (const s of v) if (s > max) max = s;
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    v[i] = Math.exp((v[i] as number) - max);
    sum += v[i] as number;
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / sum;
}

/** Class probabilities for one vector, in the order of `model.classes`. */
export function predict(model: LinearModel, x: SparseVector): Float64Array {
  const out = new Float64Array(model.classes.length);
  scores(model, x, out);
  softmaxInPlace(out);
  return out;
}

/**
 * Averaged SGD: the returned weights are the mean of the weights after every step, which generalises
 * far better on a few thousand examples than the last step does. The mean is kept lazily (the
 * `sum` arrays hold Σ t·update), so each step only touches the features the example has.
 */
export function train(examples: readonly { x: SparseVector; label: string }[], classes: readonly string[], dimensions: number, opts: TrainOptions): LinearModel {
  const model: LinearModel = { classes, dimensions, weights: new Float32Array(classes.length * dimensions), bias: new Float32Array(classes.length) };
  const sumW = new Float32Array(model.weights.length);
  const sumB = new Float64Array(classes.length);
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const rand = random(opts.seed);
  const order = examples.map((_, i) => i);
  const p = new Float64Array(classes.length);
  let t = 1;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) {
      const { x, label } = examples[i] as { x: SparseVector; label: string };
      const y = classIndex.get(label);
      if (y === undefined) throw new Error(`label ${label} is not a class`);
      const w = opts.weightOf?.(label) ?? 1;
      scores(model, x, p);
      softmaxInPlace(p);
      for (let c = 0; c < classes.length; c++) {
        const g = ((p[c] as number) - (c === y ? 1 : 0)) * w * opts.rate;
        if (Math.abs(g) < 1e-9) continue;
        const row = c * dimensions;
        for (let k = 0; k < x.index.length; k++) {
          const at = row + (x.index[k] as number);
          const d = g * (x.value[k] as number);
          model.weights[at] = (model.weights[at] as number) - d;
          sumW[at] = (sumW[at] as number) - t * d;
        }
        model.bias[c] = (model.bias[c] as number) - g * 0.1;
        sumB[c] = (sumB[c] as number) - t * g * 0.1;
      }
      t++;
    }
  }
  for (let k = 0; k < model.weights.length; k++) model.weights[k] = (model.weights[k] as number) - (sumW[k] as number) / t;
  for (let c = 0; c < classes.length; c++) model.bias[c] = (model.bias[c] as number) - (sumB[c] as number) / t;
  return model;
}

export interface StoredLinear {
  classes: string[];
  dimensions: number;
  /** One scale per class: weight = int8 × scale. */
  scales: number[];
  bias: number[];
  /** Base64 of the int8 weights, row-major. */
  weights: string;
}

export function toStored(model: LinearModel): StoredLinear {
  const { classes, dimensions, weights } = model;
  const q = new Int8Array(weights.length);
  const scales: number[] = [];
  for (let c = 0; c < classes.length; c++) {
    let max = 0;
    for (let j = 0; j < dimensions; j++) max = Math.max(max, Math.abs(weights[c * dimensions + j] as number));
    const s = max / 127 || 1;
    scales.push(Number(s.toPrecision(6)));
    for (let j = 0; j < dimensions; j++) q[c * dimensions + j] = Math.round((weights[c * dimensions + j] as number) / s);
  }
  return {
    classes: [...classes],
    dimensions,
    scales,
    bias: [...model.bias].map((b) => Number(b.toPrecision(6))),
    weights: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64'),
  };
}

export function fromStored(stored: StoredLinear): LinearModel {
  const bytes = Buffer.from(stored.weights, 'base64');
  const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (q.length !== stored.classes.length * stored.dimensions) throw new Error('model weights do not match its classes and dimensions');
  const weights = new Float32Array(q.length);
  for (let c = 0; c < stored.classes.length; c++) {
    const s = stored.scales[c] as number;
    for (let j = 0; j < stored.dimensions; j++) weights[c * stored.dimensions + j] = (q[c * stored.dimensions + j] as number) * s;
  }
  return { classes: stored.classes, dimensions: stored.dimensions, weights, bias: Float32Array.from(stored.bias) };
}

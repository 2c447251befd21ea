/**
 * Complement naive Bayes (Rennie et al. 2003) over the same sparse vectors as the linear model. It
 * counts rather than fits, so it errs differently from the softmax model on rare phrasings; averaging
 * the two gave the best category figures on cross-validation (docs/classifier.md). The result is a
 * LinearModel (scores = weights · x, then softmax), so it is stored and applied like the others.
 */
import type { SparseVector } from './features.js';
import type { LinearModel } from './linear.js';

export interface BayesOptions {
  /** Additive smoothing of the feature counts. */
  alpha: number;
  /** Scale of the scores before the softmax (how peaked its probabilities are). */
  temperature: number;
  /** The power of the inverse document frequency the vectors are weighted by (idfWeights); none when absent. */
  idf?: number;
}

/**
 * Inverse document frequency of each bucket over `vectors`, (1 + ln((1 + n) / (1 + df)))^power, kept to
 * 8 bits (the values are those the stored model gives back, so training and run time weigh alike). A word
 * most messages have (bị, con, nhà) then counts less than one that names the harm: the counts of naive Bayes
 * are otherwise led by the words every category shares (docs/classifier.md).
 */
export function idfWeights(vectors: readonly SparseVector[], dimensions: number, power: number): Float32Array {
  const df = new Float64Array(dimensions);
  for (const v of vectors) for (const j of v.index) df[j] = (df[j] as number) + 1;
  const w = new Float32Array(dimensions);
  let max = 0;
  for (let j = 0; j < dimensions; j++) {
    w[j] = Math.pow(1 + Math.log((1 + vectors.length) / (1 + (df[j] as number))), power);
    max = Math.max(max, w[j] as number);
  }
  return fromBytes(toBytes(w, max), max / 255);
}

export function toBytes(w: Float32Array, max: number): Uint8Array {
  return Uint8Array.from(w, (v) => Math.round((v / max) * 255));
}

export function fromBytes(q: Uint8Array, scale: number): Float32Array {
  return Float32Array.from(q, (v) => v * scale);
}

/** `x` weighted by `idf` and scaled back to unit length. */
export function reweigh(x: SparseVector, idf: Float32Array | undefined): SparseVector {
  if (!idf) return x;
  const value = new Float32Array(x.value.length);
  let norm = 0;
  for (let i = 0; i < value.length; i++) {
    value[i] = (x.value[i] as number) * (idf[x.index[i] as number] as number);
    norm += (value[i] as number) * (value[i] as number);
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < value.length; i++) value[i] = (value[i] as number) / norm;
  return { index: x.index, value };
}

export function trainBayes(examples: readonly { x: SparseVector; label: string }[], classes: readonly string[], dimensions: number, opts: BayesOptions): LinearModel {
  const k = classes.length;
  const count = new Float64Array(k * dimensions);
  const classTotal = new Float64Array(k);
  const featureTotal = new Float64Array(dimensions);
  let total = 0;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  for (const { x, label } of examples) {
    const c = classIndex.get(label);
    if (c === undefined) throw new Error(`label ${label} is not a class`);
    for (let i = 0; i < x.index.length; i++) {
      const j = x.index[i] as number;
      const v = x.value[i] as number;
      count[c * dimensions + j] = (count[c * dimensions + j] as number) + v;
      classTotal[c] = (classTotal[c] as number) + v;
      featureTotal[j] = (featureTotal[j] as number) + v;
      total += v;
    }
  }
  // Weight of feature j for class c: -log P(j | not c), normalised per class (the "weight-normalised"
  // variant: a class with many examples does not win by its size).
  const weights = new Float32Array(k * dimensions);
  for (let c = 0; c < k; c++) {
    const denominator = total - (classTotal[c] as number) + opts.alpha * dimensions;
    let norm = 0;
    for (let j = 0; j < dimensions; j++) {
      const w = -Math.log((featureTotal[j]! - count[c * dimensions + j]! + opts.alpha) / denominator);
      weights[c * dimensions + j] = w;
      norm += Math.abs(w);
    }
    const scale = (opts.temperature * dimensions) / norm;
    for (let j = 0; j < dimensions; j++) weights[c * dimensions + j] = weights[c * dimensions + j]! * scale;
  }
  // Subtracting each feature's mean over the classes leaves the softmax unchanged and keeps only the
  // differences, which the 8-bit stored weights then resolve far better.
  for (let j = 0; j < dimensions; j++) {
    let mean = 0;
    for (let c = 0; c < k; c++) mean += weights[c * dimensions + j]!;
    mean /= k;
    for (let c = 0; c < k; c++) weights[c * dimensions + j] = weights[c * dimensions + j]! - mean;
  }
  return { classes, dimensions, weights, bias: new Float32Array(k) };
}

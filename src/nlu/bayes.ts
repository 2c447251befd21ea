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

/**
 * Builds the classifier from corpus lines (docs/classifier.md). Deterministic: the same lines and
 * options give the same model. Used by `npm run train` and by the cross-validation in the benchmark.
 */
import { URGENCIES } from '../config/communes.js';
import type { CorpusLine } from './corpus.js';
import { idfWeights, reweigh, trainBayes, type BayesOptions } from './bayes.js';
import { CONCERN_LABELS, isConcernLabel, LABELS } from './labels.js';
import { random, train } from './linear.js';
import { analyse, type ClassifierModel, type Thresholds } from './model.js';
import type { SparseVector } from './features.js';

export interface BuildOptions {
  dimensions: number;
  epochs: number;
  rate: number;
  seed: number;
  bayes: BayesOptions;
  thresholds: Thresholds;
  /**
   * Copies of each hand-written line of more than `minWords` words with words left out at random, for the
   * category model only: real messages tell the same harm in fewer or other words, and a model that
   * cannot lean on any one word reads them better (docs/classifier.md).
   */
  augment?: { copies: number; drop: number; minWords: number };
}

export const DEFAULT_BUILD: BuildOptions = {
  dimensions: 1 << 14,
  epochs: 10,
  rate: 1,
  seed: 20251,
  bayes: { alpha: 0.03, temperature: 30, idf: 0.5 },
  augment: { copies: 3, drop: 0.2, minWords: 7 },
  thresholds: { concern: 0.5, question: 0.9, roundUp: 0.35, roundUpP0: 0.4, categoryFloor: 0.3, sure: 0.55, bayes: 0.35 },
};

export function buildModel(lines: readonly CorpusLine[], opts: BuildOptions = DEFAULT_BUILD): ClassifierModel {
  const examples = lines.map((l) => ({ line: l, x: analyse(l.text, opts.dimensions).vector }));
  const common = { epochs: opts.epochs, rate: opts.rate, seed: opts.seed };
  // Concern lines far outnumber the others (and templated lines are all concerns): weigh the two
  // groups equally so a greeting is not read as a concern for lack of examples.
  const extra = opts.augment ? dropoutCopies(lines, opts.augment, opts.seed, opts.dimensions) : [];
  const categoryExamples = [...examples.map((e) => ({ x: e.x, label: e.line.category })), ...extra];
  // Counted with the dropout copies, which are mostly of concern lines (non-concerns are often too short).
  const concernLines = categoryExamples.filter((e) => isConcernLabel(e.label)).length;
  const otherWeight = concernLines / Math.max(1, categoryExamples.length - concernLines);
  const category = train(
    categoryExamples,
    LABELS,
    opts.dimensions,
    { ...common, weightOf: (label) => (isConcernLabel(label) ? 1 : otherWeight) },
  );
  // Missing an emergency costs more than over-raising one: P0 examples count double.
  const urgency = train(
    examples.map((e) => ({ x: e.x, label: e.line.urgency })),
    URGENCIES,
    opts.dimensions,
    { ...common, seed: opts.seed + 1, weightOf: (u) => (u === 'P0' ? 2 : 1) },
  );
  // Naive Bayes reads the vectors weighted by how rare each feature is over all the training lines
  // (5-fold 89.6 → 90.2 %, docs/classifier.md); the logistic models read them as they are.
  const idf = opts.bayes.idf === undefined ? undefined : idfWeights(examples.map((e) => e.x), opts.dimensions, opts.bayes.idf);
  const concernExamples = examples.filter((e) => isConcernLabel(e.line.category));
  const concerns = trainBayes(concernExamples.map((e) => ({ x: reweigh(e.x, idf), label: e.line.category })), CONCERN_LABELS, opts.dimensions, opts.bayes);
  return { dimensions: opts.dimensions, category, concerns, idf, urgency, thresholds: opts.thresholds };
}

/** The word-dropout copies of `augment`, seeded, so training stays deterministic. Templated lines are left out. */
function dropoutCopies(lines: readonly CorpusLine[], aug: { copies: number; drop: number; minWords: number }, seed: number, dimensions: number): { x: SparseVector; label: string }[] {
  const rand = random(seed + 2);
  const out: { x: SparseVector; label: string }[] = [];
  for (const l of lines) {
    if (l.source) continue;
    const words = l.text.split(/\s+/);
    if (words.length <= aug.minWords) continue;
    for (let c = 0; c < aug.copies; c++) {
      const kept = words.filter(() => rand() >= aug.drop);
      // A copy cut down to a few words would teach that an answer typed alone ("3 tháng tuổi") is a concern.
      if (kept.length >= aug.minWords) out.push({ x: analyse(kept.join(' '), dimensions).vector, label: l.category });
    }
  }
  return out;
}

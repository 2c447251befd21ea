/** Figures of a classifier on labelled lines: what `npm run train` and `npm run bench -- classify` print. */
import { URGENCIES, type Urgency } from '../config/communes.js';
import { folds, type CorpusLine } from './corpus.js';
import { CONCERN_LABELS, isConcernLabel, LABELS, type Label } from './labels.js';
import { classifyWith, type Classification, type ClassifierModel } from './model.js';
import { buildModel } from './train.js';

export interface Prediction {
  line: CorpusLine;
  result: Classification;
}

export function predictAll(model: ClassifierModel, lines: readonly CorpusLine[]): Prediction[] {
  return lines.map((line) => ({ line, result: classifyWith(model, line.text) }));
}

/**
 * k-fold cross-validation over the hand-written lines: each fold is classified by a model trained on
 * all the other lines (templated lines always stay in training).
 */
export function crossValidate(lines: readonly CorpusLine[], k: number): Prediction[] {
  const parts = folds(lines.filter((l) => !l.source), k);
  return parts.flatMap((part) => {
    const held = new Set(part);
    return predictAll(buildModel(lines.filter((l) => !held.has(l))), part);
  });
}

export interface Evaluation {
  total: number;
  /** Concern lines whose top category is right, over all concern lines. */
  categoryAccuracy: number;
  /** Concern lines whose category is among the three offered. */
  top3Accuracy: number;
  perCategory: Record<string, { n: number; correct: number }>;
  /** Concern lines classified as concerns (they would start a report at once). */
  concernDetected: number;
  concernTotal: number;
  /** Non-concern lines taken for concerns. */
  falseConcerns: number;
  otherTotal: number;
  /** Non-concern lines whose label (advice, status, counts…) is right. */
  otherCorrect: number;
  p0Total: number;
  p0Found: number;
  /** P0 lines that came out below P0, with what they got. */
  p0Missed: { text: string; urgency: Urgency }[];
  urgencyExact: number;
  urgencyBelow: number;
  /** confusion[truth][predicted top label] over concern lines. */
  confusion: Record<string, Record<string, number>>;
  /** Concern lines whose top category is wrong. */
  errors: { text: string; truth: string; got: string }[];
}

export function evaluate(predictions: readonly Prediction[]): Evaluation {
  const perCategory: Evaluation['perCategory'] = Object.fromEntries(LABELS.map((l) => [l, { n: 0, correct: 0 }]));
  const confusion: Evaluation['confusion'] = {};
  const ev: Evaluation = {
    total: predictions.length, categoryAccuracy: 0, top3Accuracy: 0, perCategory, concernDetected: 0, concernTotal: 0, falseConcerns: 0, otherTotal: 0,
    otherCorrect: 0, p0Total: 0, p0Found: 0, p0Missed: [], urgencyExact: 0, urgencyBelow: 0, confusion, errors: [],
  };
  let correct = 0;
  let top3 = 0;
  for (const { line, result: c } of predictions) {
    const cell = perCategory[line.category] as { n: number; correct: number };
    cell.n++;
    if (isConcernLabel(line.category)) {
      ev.concernTotal++;
      if (c.isConcern) ev.concernDetected++;
      const got: Label = c.categories[0]?.key ?? c.kind;
      if (c.categories.some((x) => x.key === line.category)) top3++;
      const row = (confusion[line.category] ??= {});
      row[got] = (row[got] ?? 0) + 1;
      if (got === line.category) {
        correct++;
        cell.correct++;
      } else ev.errors.push({ text: line.text, truth: line.category, got });
    } else {
      ev.otherTotal++;
      if (c.isConcern) ev.falseConcerns++;
      if (c.kind === line.category) {
        ev.otherCorrect++;
        cell.correct++;
      }
    }
    if (line.urgency === 'P0') {
      ev.p0Total++;
      if (c.urgency === 'P0') ev.p0Found++;
      else ev.p0Missed.push({ text: line.text, urgency: c.urgency });
    }
    if (c.urgency === line.urgency) ev.urgencyExact++;
    if (URGENCIES.indexOf(c.urgency) > URGENCIES.indexOf(line.urgency)) ev.urgencyBelow++;
  }
  ev.categoryAccuracy = ev.concernTotal ? correct / ev.concernTotal : 1;
  ev.top3Accuracy = ev.concernTotal ? top3 / ev.concernTotal : 1;
  return ev;
}

const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : '–');

/** The figures as printable lines: the same shape in the training output and the benchmark. */
export function summary(ev: Evaluation): Record<string, string> {
  const out: Record<string, string> = {
    'category accuracy (concerns)': `${pct(ev.categoryAccuracy * ev.concernTotal, ev.concernTotal)} of ${ev.concernTotal}`,
    'right category among the 3 offered': pct(ev.top3Accuracy * ev.concernTotal, ev.concernTotal),
    'P0 recall': `${pct(ev.p0Found, ev.p0Total)} (${ev.p0Found}/${ev.p0Total})`,
    'concerns detected (start a report)': `${pct(ev.concernDetected, ev.concernTotal)} (${ev.concernDetected}/${ev.concernTotal})`,
    'non-concerns taken for concerns': `${pct(ev.falseConcerns, ev.otherTotal)} (${ev.falseConcerns}/${ev.otherTotal})`,
    'non-concern kind right': `${pct(ev.otherCorrect, ev.otherTotal)}`,
    'urgency exact / below the label': `${pct(ev.urgencyExact, ev.total)} / ${pct(ev.urgencyBelow, ev.total)}`,
  };
  for (const l of LABELS) {
    const cell = ev.perCategory[l] as { n: number; correct: number };
    if (cell.n) out[`  ${l}`] = `${pct(cell.correct, cell.n)} (${cell.correct}/${cell.n})`;
  }
  return out;
}

/** The confusion matrix of concern categories as text rows (truth down, top category across). */
export function confusionTable(ev: Evaluation): string {
  const short = (s: string): string => s.slice(0, 5).padStart(6);
  const head = `${''.padEnd(12)}${CONCERN_LABELS.map(short).join('')}`;
  const rows = CONCERN_LABELS.filter((t) => ev.confusion[t]).map((t) => {
    const row = ev.confusion[t] as Record<string, number>;
    return `${t.padEnd(12)}${CONCERN_LABELS.map((p) => String(row[p] ?? '.').padStart(6)).join('')}`;
  });
  return [head, ...rows].join('\n');
}

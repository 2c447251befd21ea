/**
 * The classifier as shipped: a category model and a severity model over the same features, and the
 * thresholds that turn their probabilities into decisions. `classifyWith` is the whole run-time path.
 */
import type { Urgency } from '../config/communes.js';
import { URGENCIES } from '../config/communes.js';
import { cueText, firedCues, settled } from './cues.js';
import { vectorise, type SparseVector } from './features.js';
import { firedMarks } from './marks.js';
import { CONCERN_CATEGORIES, isConcernLabel, type ConcernLabel, type Label } from './labels.js';
import { predict, type LinearModel } from './linear.js';
import { reweigh } from './bayes.js';
import { tokenise } from './normalise.js';
import { generalQuestion } from './questions.js';

export interface Thresholds {
  /** A message is a concern at this probability of concern or more (or when a severity cue fired). */
  concern: number;
  /**
   * The most urgent level whose probability, added to that of the levels above it, reaches this is taken
   * (uncertainty rounds up: a P0 doubt that stays below its own bar still counts towards P1)…
   */
  roundUp: number;
  /**
   * …except P0, which needs this much: P0 lines are ~40 % of the corpus, so at the lower bar the model alone
   * raised one P1/P2 line in six to P0; the cues carry the emergencies (docs/classifier.md).
   */
  roundUpP0: number;
  /**
   * A question about children in general or about what to do if (questions.ts) is a concern only at this
   * probability of concern or more: it names a harm but tells of none (chosen on 5-fold, docs/classifier.md).
   */
  question: number;
  /** A concern category with at least this share of the concern probability lifts urgency to its base. */
  categoryFloor: number;
  /** Below this top-category share the conversation should offer choices. */
  sure: number;
  /** Share of the naive Bayes model in the category scores (the rest is the linear model's). */
  bayes: number;
}

export interface ClassifierModel {
  dimensions: number;
  category: LinearModel;
  /** Complement naive Bayes over the concern categories only (bayes.ts), averaged into their scores. */
  concerns: LinearModel;
  /** The inverse document frequency weights naive Bayes reads the vectors with (bayes.ts `idfWeights`). */
  idf?: Float32Array;
  urgency: LinearModel;
  thresholds: Thresholds;
}

export interface CategoryScore {
  key: ConcernLabel;
  /** The Vietnamese label people read. */
  label: string;
  /** Share of the concern probability (the scores of all sixteen categories sum to 1). */
  score: number;
}

export interface UrgencyReason {
  /** cue: a severity cue fired; category: the category's own urgency; model: the severity model. */
  source: 'cue' | 'category' | 'model';
  level: Urgency;
  detail: string;
}

export interface Classification {
  /** The three likeliest concern categories, best first. */
  categories: CategoryScore[];
  /** Every concern category's share of the concern probability, best first (the shares sum to 1). */
  shares: CategoryScore[];
  /** Probability that the message describes a concern about a child. */
  concern: number;
  /** Whether the message should start a report (concern ≥ threshold, or a severity cue fired). */
  isConcern: boolean;
  /** The likeliest label overall (a concern category, or advice, status, counts, greeting…). */
  kind: Label;
  /** Its probability: how sure the classifier is of `kind`. */
  kindScore: number;
  /** A question about children in general or about what to do if ("trẻ bị bạo hành thì gọi số nào"). */
  question: boolean;
  /** True when the top category is clear enough to pre-select; otherwise offer `categories` as choices. */
  sure: boolean;
  /** P3 when the message is not a concern. Never lower than any reason below. */
  urgency: Urgency;
  reasons: UrgencyReason[];
  /** The severity cues that fired, each with the level it raises the message to. */
  cues: { id: string; reason: string; level: Urgency; kind?: ConcernLabel }[];
}

interface Analysis {
  normalised: string;
  cues: ReturnType<typeof firedCues>;
  /** What someone said to the child, told in the message (marks.ts): a concern, whatever the model says. */
  marked: boolean;
  /** The message says the child is back, found or safe (cues.ts `settled`). */
  settled: boolean;
  /** A question about children in general or about what to do if (questions.ts `generalQuestion`). */
  general: boolean;
  vector: SparseVector;
}

export function analyse(text: string, dimensions: number): Analysis {
  const toks = tokenise(text);
  const words = toks.map((t) => t.word);
  const normalised = words.join(' ');
  const cues = firedCues(cueText(toks));
  const marks = firedMarks(normalised);
  const isSettled = settled(normalised);
  const general = generalQuestion(normalised);
  const signals = { cues, marks, settled: isSettled, general };
  return { normalised, cues, marked: marks.length > 0, settled: isSettled, general, vector: vectorise(words, normalised, signals, dimensions) };
}

const more = (a: Urgency, b: Urgency): Urgency => (URGENCIES.indexOf(a) <= URGENCIES.indexOf(b) ? a : b);

function classifyAnalysis(model: ClassifierModel, a: Analysis): Classification {
  const th = model.thresholds;
  const p = predict(model.category, a.vector);
  let concern = 0;
  let best = 0;
  const concernScores: { key: ConcernLabel; p: number }[] = [];
  model.category.classes.forEach((label, i) => {
    const pi = p[i] as number;
    if (pi > (p[best] as number)) best = i;
    if (isConcernLabel(label)) {
      concern += pi;
      concernScores.push({ key: label, p: pi });
    }
  });
  const nb = predict(model.concerns, reweigh(a.vector, model.idf));
  const mixed = concernScores.map((c) => {
    const linear = concern > 0 ? c.p / concern : 0;
    return { key: c.key, score: (1 - th.bayes) * linear + th.bayes * (nb[model.concerns.classes.indexOf(c.key)] ?? 0) };
  });
  mixed.sort((x, y) => y.score - x.score);
  const shares = mixed.map((c) => ({ key: c.key, label: CONCERN_CATEGORIES[c.key].label, score: c.score }));
  // A cue makes a concern whatever the model says, except one that news of the child back or found ends
  // ("cảm ơn, cháu đi lạc đã về rồi"), and any cue in a question about children in general or about what
  // to do if ("nếu trẻ bị đuối nước thì sơ cứu thế nào"); when the model still reads a concern, every cue
  // raises urgency. Someone's words to a child told in the message ("người lạ hỏi cháu nhà ở đâu") make a
  // concern too.
  const cueConcern = !a.general && a.cues.some((c) => !(a.settled && c.settles));
  const isConcern = concern >= (a.general ? th.question : th.concern) || a.marked || cueConcern;
  const cues = a.cues.map((c) => ({ id: c.id, reason: c.reason, level: c.level ?? 'P0', ...(c.kind && { kind: c.kind }) }));
  const top = shares[0] as CategoryScore;
  const result = {
    categories: shares.slice(0, 3),
    shares,
    concern,
    isConcern,
    kind: model.category.classes[best] as Label,
    kindScore: p[best] as number,
    question: a.general,
    sure: isConcern && concern >= 0.6 && top.score >= th.sure,
    cues,
  };
  if (!isConcern) return { ...result, urgency: 'P3', reasons: [] };

  const reasons: UrgencyReason[] = cues.map((c) => ({ source: 'cue', level: c.level, detail: c.reason }));
  for (const c of shares) {
    if (c !== top && c.score < th.categoryFloor) continue;
    reasons.push({ source: 'category', level: CONCERN_CATEGORIES[c.key].base, detail: c.label });
  }
  const pu = predict(model.urgency, a.vector);
  const pOf = (u: Urgency): number => pu[model.urgency.classes.indexOf(u)] ?? 0;
  let atLeast = 0;
  const modelLevel = URGENCIES.find((u) => (atLeast += pOf(u)) >= (u === 'P0' ? th.roundUpP0 : th.roundUp)) ?? 'P3';
  reasons.push({ source: 'model', level: modelLevel, detail: `mô hình mức độ (${Math.round(atLeast * 100)}%)` });
  const urgency = reasons.reduce<Urgency>((u, r) => more(u, r.level), 'P2');
  return { ...result, urgency, reasons };
}

export function classifyWith(model: ClassifierModel, text: string): Classification {
  return classifyAnalysis(model, analyse(text, model.dimensions));
}

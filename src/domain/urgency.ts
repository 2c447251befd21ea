/**
 * The urgency of a report (docs/domain.md §4, docs/corpus.md "Labelling rules"). Rules: the most urgent of the category's
 * own level, what the text says (the classifier in src/nlu, cues included) and the answers; a "yes" to
 * "is the child in danger right now?" forces P0; uncertainty rounds up; nothing ever lowers it.
 */
import type { Urgency } from '../config/communes.js';
import { categoryOf, type CategoryKey } from './categories.js';

const ORDER: readonly Urgency[] = ['P0', 'P1', 'P2', 'P3'];

/** The more urgent of two levels. */
export function raise(a: Urgency, b: Urgency): Urgency {
  return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
}

export interface UrgencyInput {
  category: CategoryKey;
  /** The most urgent level the classifier read in anything the reporter wrote (each text read once). */
  textUrgency?: Urgency;
  /** Answer to "is the child in danger right now?": true, false, or undefined for "không rõ". */
  inDanger?: boolean | null;
}

export function decideUrgency(input: UrgencyInput): Urgency {
  let level = categoryOf(input.category).base;
  if (input.textUrgency) level = raise(level, input.textUrgency);
  if (input.inDanger === true) level = 'P0';
  // "Không rõ" is uncertainty: round up to at least the same-day level.
  if (input.inDanger === undefined) level = raise(level, 'P1');
  return level;
}

/** A severity cue that fired in what the reporter wrote: its id (src/nlu/cues.ts), level and the concern it names. */
export interface FiredCue {
  id: string;
  level: Urgency;
  kind?: string;
}

/**
 * Why a report is at its level, besides the cues (each of which is its own reason, by its id): the answer
 * "in danger now", the category's own level, the story as the classifier read it with no cue at that level,
 * and "không rõ" rounded up.
 */
export const OTHER_REASONS = ['in_danger', 'category', 'story', 'danger_unknown'] as const;

/**
 * The reasons that put a report at its level, most specific first (docs/domain.md §4): each cue at that
 * level, the "yes" to "in danger now", the category's own level (unless a cue of that concern says it
 * already), and only when nothing else does, the story's reading or "không rõ" rounded up. Ids, not
 * words: the report keeps them (no personal data), and the wording is the officers' (case-wording.ts).
 */
export function urgencyReasons(input: UrgencyInput & { cues: readonly FiredCue[] }): string[] {
  const level = decideUrgency(input);
  const reasons = [...new Set(input.cues.filter((c) => c.level === level).map((c) => c.id))];
  if (input.inDanger === true && level === 'P0') reasons.push('in_danger');
  const named = input.cues.some((c) => c.level === level && c.kind === input.category);
  if (categoryOf(input.category).base === level && !named) reasons.push('category');
  if (!reasons.length && input.textUrgency === level) reasons.push('story');
  if (!reasons.length && input.inDanger === undefined && level === 'P1') reasons.push('danger_unknown');
  return reasons;
}

export const URGENCY_LABEL: Record<Urgency, string> = {
  P0: 'Khẩn cấp',
  P1: 'Cao',
  P2: 'Trung bình',
  P3: 'Thấp',
};

export const URGENCY_MARK: Record<Urgency, string> = { P0: '🔴', P1: '🟠', P2: '🟡', P3: '⚪' };

/** "🔴 Khẩn cấp (P0)": the urgency as officers see it in alerts and lists. */
export function urgencyText(u: Urgency): string {
  return `${URGENCY_MARK[u]} ${URGENCY_LABEL[u]} (${u})`;
}

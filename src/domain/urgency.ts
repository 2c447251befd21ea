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

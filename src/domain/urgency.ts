/**
 * Classification and urgency (docs/domain.md §4). Rules: any sexual act forces P0; a "yes" to "is the child in
 * danger right now?" forces P0; uncertainty rounds up; a keyword guess can raise, never lower.
 */
import type { Urgency } from '../config/communes.js';
import { foldRepaired, foldWords, hasPhrase } from '../text/vietnamese.js';
import { CATEGORIES, categoryOf, type CategoryKey } from './categories.js';

const ORDER: readonly Urgency[] = ['P0', 'P1', 'P2', 'P3'];

/** The more urgent of two levels. */
export function raise(a: Urgency, b: Urgency): Urgency {
  return ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b;
}

/** Words that turn violence into an emergency: injury, threat to life, the child still with the abuser. */
const SEVERE_PHRASES = ['chay mau', 'gay tay', 'gay chan', 'bat tinh', 'nhap vien', 'cap cuu', 'doa giet', 'de doa giet', 'bi thuong nang', 'bop co', 'dang bi danh', 'van o voi', 'con o voi', 'tre so sinh', 'dua vao vien'];

export interface Classification {
  /** Categories whose phrases occur, most urgent first. */
  categories: CategoryKey[];
  severe: boolean;
}

/** Reads free text for category hints. Matches on both the folded and the keyboard-repaired form. */
export function classifyText(text: string): Classification {
  const forms = [foldWords(text), foldRepaired(text)];
  const found = (phrase: string) => forms.some((f) => hasPhrase(f, phrase));
  const categories = CATEGORIES.filter((c) => c.phrases.some(found)).map((c) => c.key);
  // 'other' only carries the generic "xâm hại": drop it when a specific form was found.
  const specific = categories.filter((k) => k !== 'other');
  return { categories: specific.length ? specific : categories, severe: SEVERE_PHRASES.some(found) };
}

/** True when the text describes a concern (so a first message can start the report directly). */
export function describesConcern(text: string): boolean {
  const c = classifyText(text);
  return c.categories.some((k) => k !== 'advice');
}

export interface UrgencyInput {
  category: CategoryKey;
  /** Free text the reporter wrote (description, extra information). */
  texts: string[];
  /** Answer to "is the child in danger right now?": true, false, or undefined for "không rõ". */
  inDanger?: boolean | null;
}

export function decideUrgency(input: UrgencyInput): Urgency {
  let level = categoryOf(input.category).base;
  for (const text of input.texts) {
    const c = classifyText(text);
    for (const k of c.categories) level = raise(level, categoryOf(k).base);
    if (c.severe) level = raise(level, 'P0');
  }
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

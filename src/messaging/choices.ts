/**
 * Typed answers work wherever buttons do: "1", the option's words with or without diacritics, or a
 * known alias all pick the same choice, so one conversation runs on channels without buttons.
 */
import { BoundedMap } from '../bounded-map.js';
import { foldRepaired, foldWords, YES_WORDS } from '../text/vietnamese.js';
import type { Choice } from './message.js';

export interface ChoiceWithAliases extends Choice {
  /** Extra folded words that also pick this choice ("co", "ok" for "Có"). */
  aliases?: string[];
}

export function matchChoice(input: { text?: string; choice?: string }, choices: readonly ChoiceWithAliases[]): Choice | undefined {
  if (input.choice) {
    const pressed = choices.find((c) => c.value === input.choice);
    if (pressed) return pressed;
  }
  const raw = input.text?.trim();
  if (!raw) return undefined;
  const num = raw.match(/^(\d{1,2})[.)]?$/);
  if (num) return choices[Number(num[1]) - 1];
  const typed = foldWords(raw);
  const repaired = foldRepaired(raw);
  const is = (form: string): boolean => form === typed || form === repaired;
  const exact = choices.find((c) => is(foldedLabel(c.label)) || is(foldedLabel(c.value)) || c.aliases?.some(is));
  if (exact) return exact;
  // A unique label that starts with what was typed ("nu" → "Nữ", "khong ro" → "Không rõ").
  if (typed.length < 2) return undefined;
  const prefixed = choices.filter((c) => foldedLabel(c.label).startsWith(typed));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * The ways people say yes to a confirmation, folded: "có", "ừ" / "uh" / "um" / "uk", "vâng", "ok" / "oke" /
 * "okie", "được" / "dc", "đúng (rồi)", "chuẩn". Every yes-or-go-ahead choice takes them all, so a word
 * that confirms one step confirms the others.
 */
export const AGREE: readonly string[] = [...YES_WORDS, 'u', 'vang', 'duoc', 'dc', 'dung roi', 'chuan', 'dong y', 'xac nhan'];

/** Words said around a short answer ("ok lưu", "gửi đi ạ", "dạ, gửi giúp em nhé"). */
const FILLERS = new Set(['di', 'giup', 'em', 'nhe', 'nha', 'a', 'da', 'luon', 'roi', 'lai', 'vao', 'cho', 'minh', 'anh', 'chi', 'ok', 'oke', 'okay']);
/** A short answer has at most this many words. */
const FEW_WORDS = 6;

/**
 * True when `folded` picks `choice` in a few words of its own ("gửi đi ạ", "đúng rồi lưu đi"): every
 * word one of the choice's alias words or a filler, at least one not a filler (or an "ok"), and none a
 * word of the phrases `against` (a "no" among them is no yes). Labels are left out: "Sửa lại" would make
 * the "lại" of "lưu lại đi" a no.
 */
export function saidInFewWords(folded: string, choice: ChoiceWithAliases, against: readonly string[] = []): boolean {
  const words = folded.split(' ');
  if (words.length > FEW_WORDS) return false;
  const wordsOf = (phrases: readonly string[]) => phrases.flatMap((a) => a.split(' '));
  const saying = new Set([...wordsOf(choice.aliases ?? []), ...FILLERS]);
  const no = new Set(wordsOf(against));
  return words.some((w) => !FILLERS.has(w) || w.startsWith('ok')) && words.every((w) => saying.has(w) && !no.has(w));
}

/** Labels and values folded so far: the same few hundred come back on every answer. */
const folded = new BoundedMap<string, string>(4096);

/**
 * `foldWords` of a choice's label or value, computed once per text: every typed answer compared the
 * whole list again (NFD, two regular expressions, a fresh string per choice, issue 15).
 */
function foldedLabel(text: string): string {
  return folded.getOr(text, foldWords);
}

/** Renders choices as numbered lines, for channels that show no buttons. */
export function numberedChoices(choices: readonly Choice[]): string {
  return choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

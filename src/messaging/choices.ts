/**
 * Typed answers work wherever buttons do: "1", the option's words with or without diacritics, or a
 * known alias all pick the same choice, so one conversation runs on channels without buttons.
 */
import { foldRepaired, foldWords } from '../text/vietnamese.js';
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
  const forms = new Set([foldWords(raw), foldRepaired(raw)]);
  const exact = choices.find(
    (c) => forms.has(foldWords(c.label)) || forms.has(foldWords(c.value)) || c.aliases?.some((a) => forms.has(a)),
  );
  if (exact) return exact;
  // A unique label that starts with what was typed ("nu" → "Nữ", "khong ro" → "Không rõ").
  const typed = foldWords(raw);
  if (typed.length < 2) return undefined;
  const prefixed = choices.filter((c) => foldWords(c.label).startsWith(typed));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Renders choices as numbered lines, for channels that show no buttons. */
export function numberedChoices(choices: readonly Choice[]): string {
  return choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n');
}

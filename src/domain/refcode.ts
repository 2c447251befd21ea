/** Reference codes like TE-7K3M9Q: short, read aloud over the phone, no look-alike characters. */
import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L, 5/S, 2/Z, 8/B: people copy codes from screens and read them over the phone.
export const CODE_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';
const LENGTH = 6;

export function newReportCode(): string {
  let s = '';
  for (let i = 0; i < LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `TE-${s}`;
}

/** Finds a code in free text, forgiving case, spaces and a missing dash. */
export function findReportCode(text: string): string | undefined {
  const m = text.toUpperCase().match(/\bTE[\s-]?([0-9A-Z]{6})\b/);
  return m ? `TE-${m[1]}` : undefined;
}

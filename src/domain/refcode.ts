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

/**
 * A sign as typed: "Ư" is W with a Vietnamese keyboard left on (Telex turns a lone "w" into "ư":
 * "TE-NA9EHƯ"); codes have no other letter a keyboard changes alone.
 */
const SIGN = '[0-9A-ZƯ]';
/**
 * "TE-7K3M9Q", "te 7k3m9q", "TE7K3M9Q", "TE–7K3M9Q", "te. 7k3m9q", and in two halves as read out or copied
 * ("TE-7K3 M9Q", "te 7k3-m9q", halves of the code's own signs only): the prefix makes a code safe to find
 * anywhere in a text. So does the word "mã" naming it: "mã 7K3M9Q", "mã số 7k3-m9q", "mã của em là 7K3M9Q".
 */
const HALF = `[${CODE_ALPHABET}Ư]{3}`;
const SEP = '[\\s\\-–—_.:#]{0,3}';
// "mã" with its marks, or unmarked "ma" only as "ma so", "ma bao cao" ("ma" is as often "mà", but).
const NAMED = `(?:mã|code|ma(?=\\s+(?:so|bao cao|bc)\\b))(?:\\s+(?:số|so|báo cáo|bao cao|bc|của|cua|em|e|tôi|toi|mình|minh|tui|là|la)){0,4}${SEP}`;
// Halves must be of the code's own signs: "tè ngã tại" folded is no code; after "mã", the whole code too.
const PREFIXED = `(?:TE${SEP}(${SIGN}{6}|${HALF}[\\s.-]${HALF})|${NAMED}((?:${HALF}){2}|${HALF}[\\s.-]${HALF}))`;
/**
 * Also "7K3M9Q" alone, or "7k3 m9q": six signs of the alphabet; a word ("NGUYEN") can look like one, so
 * where a code is not expected only one with a digit counts (no word has one).
 */
const UNPREFIXED = `([${CODE_ALPHABET}]{6}|[${CODE_ALPHABET}]{3}[\\s.-][${CODE_ALPHABET}]{3})`;
const whole = (source: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}])(?:${source})(?![\\p{L}\\p{N}])`, 'giu');
const CODES = whole(PREFIXED);
const CODES_OR_BARE = whole(`${PREFIXED}|${UNPREFIXED}`);

export interface CodeMatch {
  code: string;
  /** Where the code (with its prefix) starts and ends in the text. */
  index: number;
  end: number;
}

/**
 * The codes in free text, forgiving case, spaces and a missing dash. `bare` also finds a code typed
 * without "TE-": for places where a code is expected (right after a command's words) any; with
 * `'digit'`, in a question about a report, only one holding a digit. Two halves without "TE-" count only
 * with a digit, either way ("thế này" typed bare is two halves of signs).
 */
export function reportCodes(text: string, bare: boolean | 'digit' = false): CodeMatch[] {
  return [...text.matchAll(bare ? CODES_OR_BARE : CODES)]
    .filter((m) => m[3] === undefined || ((/\d/.test(m[3]) || (bare === true && !/[\s.-]/.test(m[3]))) && !platePart(text, m.index, m[0])))
    .map((m) => ({ code: `TE-${signs(m[1] ?? m[2] ?? m[3] ?? '')}`, index: m.index, end: m.index + m[0].length }));
}

/**
 * A licence plate: two digits of the province, the series letter (and a digit), then 3–5 digits ("36K-679",
 * "29A-123.45", "36K1 679.43"). Typed without "TE-", signs of that shape in a story are the plate of a
 * vehicle, never a code.
 */
const PLATE = /(?<![\p{L}\p{N}])\d{2}\p{L}{1,2}\d?[\s.-]?\d{3}(?:\.?\d{2})?(?![\p{L}\p{N}])/u;
const PLATE_WORD = /(?:^|\s)(?:biển|bien|bks|bsx|số xe|so xe)(?:\s+(?:số|so|kiểm soát|kiem soat|xe|là|la))*\s*[:.]?\s*$/iu;

export function hasLicencePlate(text: string): boolean {
  return PLATE.test(text);
}

const PLATE_ALONE = new RegExp(`^${PLATE.source}$`, 'u');

/** Whether the bare code `found` at `index` is a licence plate: its shape, or "biển" before it. */
function platePart(text: string, index: number, found: string): boolean {
  return PLATE_ALONE.test(found) || PLATE_WORD.test(text.slice(0, index));
}

/** The code's signs as issued: upper case, halves joined, "Ư" typed for W read as W. */
function signs(typed: string): string {
  return typed.replace(/[\s.-]/g, '').toUpperCase().replace(/Ư/g, 'W');
}

export function findReportCode(text: string, bare: boolean | 'digit' = false): string | undefined {
  return reportCodes(text, bare)[0]?.code;
}

/** "TE-XKVVEUY", "TE XKWEU", "mã XKWEU1": the prefix and a sign too many, too few or not a code's, which no code matcher takes. */
const MISTYPED = new RegExp(`(?<![\\p{L}\\p{N}])(?:TE${SEP}|${NAMED})([0-9A-ZƯ]{4,9})(?![\\p{L}\\p{N}])`, 'iu');
/** A word alone that may be a code typed without "TE-" ("xkweuy"): looked up only among one's own codes. */
const LONE_WORD = /^\s*([0-9A-ZƯ]{5,8})\s*$/iu;
/** At most this many signs typed wrong, missing or extra ("W" read as "VV" is two). */
const NEAR = 2;

/** The signs of what may be a mistyped code in `text` (without "TE-"), when it holds no well-formed one. */
export function mistypedCode(text: string): string | undefined {
  if (findReportCode(text)) return undefined;
  const typed = MISTYPED.exec(text)?.[1] ?? LONE_WORD.exec(text)?.[1];
  return typed && signs(typed);
}

/** How many signs to change, add or drop to turn `a` into `b` (Levenshtein; codes are short). */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The one code of `codes` that `typed` (signs without "TE-") is nearest to, within a couple of slips; none when two are as near. */
export function nearestCode(typed: string, codes: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = NEAR + 1;
  let tie = false;
  for (const code of codes) {
    const d = editDistance(typed.toUpperCase(), code.replace(/^TE-/, ''));
    if (d < bestDistance) [best, bestDistance, tie] = [code, d, false];
    else if (d === bestDistance) tie = true;
  }
  return tie ? undefined : best;
}

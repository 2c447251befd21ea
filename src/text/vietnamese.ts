/**
 * Vietnamese text handling (docs/domain.md §9). Incoming text is stored in NFC; matching always runs on a
 * folded copy (no diacritics, đ→d, lower case), optionally with Telex/VNI keyboard leftovers repaired.
 */

/** Normalise to NFC and trim; phones send NFD or mixed forms. */
export function nfc(text: string): string {
  return text.normalize('NFC').trim();
}

/** Lower-case, diacritic-free copy for matching. Keeps length-independent meaning, not positions. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐÐð]/g, (c) => (c === 'đ' || c === 'ð' ? 'd' : 'D'))
    .toLowerCase();
}

const TELEX_TONE = /([a-z]{2,})[sfrxj]$/;

/**
 * Repairs one folded word typed with the Vietnamese keyboard switched off.
 * Vietnamese syllables never end in s/f/r/x/j and never contain w, dd or doubled vowels, so these
 * patterns are keyboard leftovers. Words with digits glued after letters (VNI: `tre3`, `xa6m`) lose
 * the digits, but only when at least two letters are present, so period forms like `T10` survive.
 */
export function repairWord(word: string): string {
  let w = word;
  if (/^[a-z]+[0-9][a-z0-9]*$/.test(w) && (w.match(/[a-z]/g)?.length ?? 0) >= 2) {
    w = w.replace(/[1-9]/g, '');
  }
  if (!/^[a-z]+$/.test(w) || w.length < 3) return w;
  w = w.replace(TELEX_TONE, '$1');
  return w
    .replace(/dd/g, 'd')
    .replace(/aa|aw/g, 'a')
    .replace(/ee/g, 'e')
    .replace(/oo|ow/g, 'o')
    .replace(/uw|w/g, 'u');
}

/** Folded text with punctuation turned into single spaces: the form keyword matching runs on. */
export function foldWords(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Folded words with keyboard leftovers repaired (`xaam haij` → `xam hai`, `tre3 em` → `tre em`). */
export function foldRepaired(text: string): string {
  return foldWords(text)
    .split(' ')
    .map(repairWord)
    .join(' ');
}

/** True when `phrase` (already folded, words separated by spaces) occurs as whole words in `haystack`. */
export function hasPhrase(haystack: string, phrase: string): boolean {
  return ` ${haystack} `.includes(` ${phrase} `);
}

const YES = new Set(['co', 'c', 'u', 'uh', 'um', 'ok', 'oke', 'okay', 'dung', 'vang', 'yes', 'y', 'dong y', 'co a', 'vang a', 'dung roi', 'xac nhan']);
const NO = new Set(['khong', 'ko', 'k', 'kh', 'hong', 'sai', 'no', 'n', 'khong co', 'khong a', 'chua']);

/** Reads a yes/no answer; `undefined` when the text is neither. */
export function parseYesNo(text: string): boolean | undefined {
  const w = foldWords(text);
  if (YES.has(w)) return true;
  if (NO.has(w)) return false;
  return undefined;
}

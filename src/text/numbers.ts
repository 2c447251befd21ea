/**
 * Whole numbers written in words, as people type them in a chat: "tám", "mười hai", "hai mươi mốt",
 * "ba mươi lăm". Works on folded words (src/text/vietnamese.ts), so "muoi hai" reads the same.
 */
const UNITS: Record<string, number> = {
  khong: 0,
  mot: 1,
  mott: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  lam: 5,
  nham: 5,
  sau: 6,
  bay: 7,
  tam: 8,
  chin: 9,
};

/** The unit after a tens digit when "mươi" is left out. */
const SHORT_TENS_UNIT: Record<string, number> = { mot: 1, tu: 4, lam: 5, nham: 5 };

/**
 * The number spelt by `words` (folded, one number only, 0–99), or undefined. "mot" after "muoi"/"mươi"
 * is the spoken "mốt" (21 = hai mươi mốt); "tu" and "lam" only count after a tens word, where they mean
 * 4 and 5 (elsewhere they are ordinary words).
 */
export function numberFromWords(words: string): number | undefined {
  const w = words.trim().split(/\s+/);
  const unit = (x: string | undefined, afterTens: boolean): number | undefined => {
    if (x === undefined) return undefined;
    if (!afterTens && (x === 'tu' || x === 'lam' || x === 'nham' || x === 'mott')) return undefined;
    return UNITS[x];
  };
  if (w.length === 1) return w[0] === 'muoi' ? 10 : unit(w[0], false);
  if (w.length === 2 && w[0] === 'muoi') {
    const u = unit(w[1], true);
    return u !== undefined && u > 0 ? 10 + u : undefined;
  }
  // Spoken short tens: "hai mốt" (21), "ba lăm" / "ba nhăm" (35), "hai tư" (24).
  if (w.length === 2 && w[1] !== undefined && w[1] in SHORT_TENS_UNIT) {
    const tens = unit(w[0], false);
    return tens !== undefined && tens >= 2 ? tens * 10 + (SHORT_TENS_UNIT[w[1]] as number) : undefined;
  }
  if ((w.length === 2 || w.length === 3) && w[1] === 'muoi') {
    const tens = unit(w[0], false);
    if (tens === undefined || tens < 2) return undefined;
    if (w.length === 2) return tens * 10;
    const u = unit(w[2], true);
    return u !== undefined && u > 0 ? tens * 10 + u : undefined;
  }
  return undefined;
}

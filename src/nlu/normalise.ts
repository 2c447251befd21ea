/**
 * The one form every classifier part reads: folded, keyboard-repaired words (src/text/vietnamese.ts)
 * with chat shorthand spelt out, so "ko dc", "không được" and "khong duoc" are the same tokens.
 */
import { foldWords, repairWord } from '../text/vietnamese.js';

/** Shorthand seen in chat (folded). Only forms that are not also common whole words are listed. */
const SHORTHAND: Readonly<Record<string, string>> = {
  ko: 'khong', k: 'khong', kh: 'khong', khg: 'khong', kg: 'khong', hok: 'khong', hong: 'khong', hem: 'khong',
  dc: 'duoc', dk: 'duoc',
  ng: 'nguoi',
  j: 'gi',
  vs: 'voi',
  bj: 'bay gio', bh: 'bay gio', bg: 'bay gio',
  r: 'roi',
  mk: 'minh', mik: 'minh', mjk: 'minh', mh: 'minh',
  e: 'em',
  cx: 'cung', cg: 'cung',
  ms: 'moi',
  trc: 'truoc',
  hs: 'hoc sinh',
  gv: 'giao vien',
  bm: 'bo me', bme: 'bo me',
  ck: 'chong', vk: 'vo', ny: 'nguoi yeu',
  fb: 'facebook', face: 'facebook', ib: 'nhan tin', nt: 'nhan tin',
  dt: 'dien thoai', dthoai: 'dien thoai',
  thk: 'thang', thg: 'thang',
  mun: 'muon', mog: 'mong', iu: 'yeu', nhiu: 'nhieu', wa: 'qua', ntn: 'nhu the nao',
  bik: 'biet', bit: 'biet', ak: 'a', ah: 'a', uk: 'u', uh: 'u',
};

/** Loanwords that look like Telex leftovers (a final s, x, r…) and must not be "repaired". */
const LOANWORDS: ReadonlySet<string> = new Set(['sex', 'messenger', 'status', 'kiss', 'nudes', 'sms', 'boss', 'bus', 'class', 'pass', 'fans']);

/** Tokens of `text` in the normalised form. "8t" and "8 t" become "8 tuoi". */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const raw of foldWords(text).split(' ')) {
    if (!raw) continue;
    // repairWord leaves two-letter words alone; a Telex vowel on its own ("oo", "ow", "aa") is still ô, ơ, â.
    const telexVowel = /^(aa|aw|ee|oo|ow|uw)[sfrxj]?$/.exec(raw);
    const word = telexVowel ? (telexVowel[1] as string)[0] as string : LOANWORDS.has(raw) ? raw : repairWord(raw);
    const age = /^(\d{1,2})t$/.exec(word);
    if (age) {
      out.push(age[1] as string, 'tuoi');
      continue;
    }
    if (word === 't' && /^\d{1,2}$/.test(out[out.length - 1] ?? '')) {
      out.push('tuoi');
      continue;
    }
    const long = SHORTHAND[word];
    if (long) out.push(...long.split(' '));
    else out.push(word);
  }
  return out;
}

/** The normalised text as one string of single-space-separated tokens. */
export function normalise(text: string): string {
  return tokens(text).join(' ');
}

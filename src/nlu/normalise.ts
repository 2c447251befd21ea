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
  // Teen and phone shorthand ("h e sợ", "hqua bị đánh", "lm j", "khum", "mn ơi").
  h: 'gio', hqua: 'hom qua', hnay: 'hom nay', lm: 'lam', khum: 'khong', z: 'vay', kb: 'khong biet', ns: 'noi', lun: 'luon',
  cj: 'chi', ntin: 'nhan tin', trg: 'truong', oy: 'roi', hc: 'hoc', nx: 'nua', mn: 'moi nguoi', mng: 'moi nguoi', ngta: 'nguoi ta',
  qhtd: 'quan he tinh duc',
};

/** Loanwords that look like Telex leftovers (a final s, x, r…) and must not be "repaired". */
const LOANWORDS: ReadonlySet<string> = new Set(['sex', 'messenger', 'status', 'kiss', 'nudes', 'sms', 'boss', 'bus', 'class', 'pass', 'fans']);

/** A normalised token and, when the person typed it with its marks, the word as typed (lower case, NFC). */
export interface Token {
  readonly word: string;
  readonly marked?: string;
}

/**
 * The words of `text` as typed, each with its folded form, in the order foldWords gives them (combining
 * marks stay inside a word, so NFD input splits the same way).
 */
function typedWords(text: string): { folded: string; typed?: string }[] {
  const out: { folded: string; typed?: string }[] = [];
  for (const typed of text.normalize('NFC').toLowerCase().split(/[^\p{L}\p{N}\p{M}]+/u)) {
    // Most words are typed without marks: folding leaves them as they are.
    if (PLAIN.test(typed)) {
      out.push({ folded: typed });
      continue;
    }
    const parts = foldWords(typed).split(' ').filter(Boolean);
    // A word with marks keeps its typed form; one that folds into several parts (a stray symbol) does not.
    if (parts.length === 1 && parts[0] !== typed) out.push({ folded: parts[0] as string, typed });
    else for (const folded of parts) out.push({ folded });
  }
  return out;
}

const PLAIN = /^[a-z0-9]+$/;

/**
 * The last text tokenised and its tokens: one step reads the person's message through the classifier,
 * the service topics and the story's facts, and each tokenised it again.
 */
let lastText: string | undefined;
let lastTokens: readonly Token[] = [];

/** Tokens of `text` in the normalised form, with the marked word where it was typed with marks. "8t" and "8 t" become "8 tuoi". */
export function tokenise(text: string): readonly Token[] {
  if (text !== lastText) {
    lastTokens = tokenised(text);
    lastText = text;
  }
  return lastTokens;
}

function tokenised(text: string): Token[] {
  const out: Token[] = [];
  const last = (): string => out[out.length - 1]?.word ?? '';
  for (const { folded: raw, typed } of typedWords(text)) {
    // repairWord leaves two-letter words alone; a Telex vowel on its own ("oo", "ow", "aa") is still ô, ơ, â.
    const telexVowel = /^(aa|aw|ee|oo|ow|uw)[sfrxj]?$/.exec(raw);
    const word = telexVowel ? (telexVowel[1] as string)[0] as string : LOANWORDS.has(raw) ? raw : repairWord(raw);
    const age = /^(\d{1,2})t$/.exec(word);
    if (age) {
      out.push({ word: age[1] as string }, { word: 'tuoi' });
      continue;
    }
    if (word === 't' && /^\d{1,2}$/.test(last())) {
      out.push({ word: 'tuoi' });
      continue;
    }
    const long = SHORTHAND[word];
    if (long) out.push(...long.split(' ').map((w) => ({ word: w })));
    else out.push(typed !== undefined && word === raw ? { word, marked: typed } : { word });
  }
  return out;
}

/** Tokens of `text` in the normalised form. */
export function tokens(text: string): string[] {
  return tokenise(text).map((t) => t.word);
}

/** The normalised text as one string of single-space-separated tokens. */
export function normalise(text: string): string {
  return tokens(text).join(' ');
}

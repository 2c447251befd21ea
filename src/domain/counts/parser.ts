/**
 * Reads a village head's monthly counts message (domain.md §4, §6). Pure and channel-agnostic: text in,
 * a typed reading out; the handler decides what to ask back and the sender confirms before anything
 * counts. Two promises hold for any input: it never throws, and every count it returns is written in
 * the message as its own number token (or as `không`/`ko`/`k` right after the row, meaning zero).
 */
import { wallClock } from '../local-time.js';
import type { CountFieldConfig } from '../../config/communes.js';
import { fold, foldRepaired, repairWord } from '../../text/vietnamese.js';

// ————————————————————————————————————————————————————————————— public types

export interface CountsPeriod {
  year: number;
  month: number;
}

export interface ReadPeriod extends CountsPeriod {
  /** `inferred`: the message named no month, so the caller must ask the sender to confirm it. */
  source: 'explicit' | 'inferred';
  /** False when only the month was written (`T10`) and the year came from the date. */
  yearGiven: boolean;
}

export type CountsProblem =
  | { kind: 'negative'; key: string; raw: string }
  | { kind: 'not_whole'; key: string; raw: string }
  | { kind: 'too_large'; key: string; raw: string }
  /** The row is named but no number follows it (`sinh, tử vong 0`, `sinh2`). */
  | { kind: 'no_number'; key: string }
  | { kind: 'duplicate'; key: string; values: number[] }
  /** The sub-rows of a total add up to more than the total (`xamhai` < `baoluc + tinhduc + …`). */
  | { kind: 'parts_exceed_total'; key: string; total: number; parts: Array<{ key: string; value: number }>; sum: number }
  /** A number that follows no row. */
  | { kind: 'stray_number'; raw: string }
  | { kind: 'bad_period'; raw: string }
  | { kind: 'period_conflict'; periods: CountsPeriod[] }
  /** Only if the parser itself failed; reported instead of throwing into a chat handler. */
  | { kind: 'unreadable' };

export interface CountsReading {
  /** Null only when no period can be worked out (no month written and an invalid `now`). */
  period: ReadPeriod | null;
  counts: Record<string, number>;
  /** Phrases not understood, as the sender wrote them (NFC), e.g. `ma túy`. */
  unknown: string[];
  problems: CountsProblem[];
  /** Rows with no count and no problem, in form order. */
  missing: string[];
}

export interface ParseCountsOptions {
  now: Date;
  /** IANA zone of the commune; the month boundary is local. */
  timezone: string;
  /** Day of the month by which last month's counts are due (inclusive). */
  dueDay: number;
  /** The commune's village names: noise wherever they appear, not unknown words. */
  villageNames?: readonly string[];
}

// ————————————————————————————————————————————————————————————— vocabulary (folded)

/** Words around the counts that carry no count: headers, politeness, units, the "bị/trẻ em/số" prefixes. */
const NOISE = [
  'bao cao', 'bc', 'bcao', 'so lieu', 'bao cao so lieu', 'thong ke', 'tong hop', 'ket qua', 'nhu sau',
  'gui', 'kinh gui', 'xin', 'em', 'anh', 'chi', 'a', 'ah', 'nhe', 'nha', 'ok', 'cam on', 'chao', 'xin chao',
  'ubnd', 'truong thon', 'ngay', 'nay', 'ky', 'thang', 'thang nay', 'thang truoc', 'tong', 'tong so',
  'so', 'tre', 'tre em', 'bi', 'co', 'cac', 'la', 'ca', 'truong hop', 'th', 'nguoi', 'chau', 'be', 'con',
  'hoc sinh', 'moi', 'phat sinh', 'trong do', 'gom', 'va', 'cua', 've', 'o', 'tai', 'tren', 'dia ban',
  'nao', 'da', 'roi', 'dc', 'duoc',
  // "Not known" is not zero: these win over `không` by being longer, so the row is asked again.
  'khong ro', 'chua ro', 'khong biet', 'chua biet', 'chua co', 'chua co so lieu',
];

/** `không`, `ko`, `k` (and `kh`, domain.md §6) right after a row mean zero. */
const ZERO = ['khong', 'ko', 'k', 'kh'];

/** Words that introduce a village or unit name; the name after them is noise, not unknown keys. */
const VILLAGE_MARKERS = [
  'thon', 'xom', 'ban', 'bon', 'buon', 'lang', 'ap', 'to', 'khu', 'khu pho', 'to dan pho', 'plei', 'soc', 'xa', 'phuong',
];

/** Numbers written as words; in the value position they are "not a whole number written in digits". */
const NUMBER_WORDS = new Set([
  'mot', 'hai', 'ba', 'bon', 'tu', 'nam', 'sau', 'bay', 'tam', 'chin', 'muoi', 'tram', 'nghin', 'ngan', 'trieu', 'linh', 'le', 'lam',
]);

/** Leading words dropped from a label before it is accepted as an alias ("Trẻ em bị đuối nước" → "duoi nuoc"). */
const LABEL_PREFIX = new Set(['tre', 'em', 'bi', 'so', 'co', 'cac']);

const MAX_UNKNOWN = 20;
const MAX_STRAY = 20;
const MAX_UNKNOWN_CHARS = 60;

// ————————————————————————————————————————————————————————————— tokens

type TokenKind = 'word' | 'num' | 'punct' | 'newline';

interface Token {
  kind: TokenKind;
  /** As written, NFC. */
  text: string;
  /** Folded and lower-cased, keyboard leftovers not yet repaired: period forms like `t10` need the digits. */
  folded: string;
  /** Folded with keyboard leftovers repaired (`tre3` → `tre`): what phrases are matched on. */
  norm: string;
  start: number;
  end: number;
}

/** A word (letters, marks, digits), a line break, or one other visible character. */
const PIECE = /[\p{L}\p{M}\p{N}]+|\n|[^\s\p{L}\p{M}\p{N}]/gu;
const ASCII_DIGITS = /^[0-9]+$/;
/** Pieces that may continue with `.`, `,`, `/` or `-` and more digits: numbers and `T9/2025`. */
const NUMBER_HEAD = /^(?:[0-9]+|t[0-9]{1,2}|thang[0-9]{1,2})$/;
const NUMERIC_CHUNK = /^[0-9][0-9.,/-]*$/;

function tokenize(text: string): Token[] {
  const pieces: Token[] = [];
  for (const m of text.matchAll(PIECE)) pieces.push(makeToken(m[0], m.index));
  return joinNumberGroups(text, pieces);
}

function makeToken(text: string, start: number): Token {
  if (text === '\n') return { kind: 'newline', text, folded: text, norm: text, start, end: start + 1 };
  const folded = fold(text);
  const isWord = /[\p{L}\p{M}\p{N}]/u.test(text);
  // Judged on the written text: a digit carrying a tone mark (`3\u0301`) is a keyboard slip, not a number.
  const kind: TokenKind = !isWord ? 'punct' : NUMERIC_CHUNK.test(text) ? 'num' : 'word';
  const norm = kind === 'word' ? repairWord(folded) : folded;
  return { kind, text, folded, norm, start, end: start + text.length };
}

/**
 * `1.000`, `1,000`, `10/2025`, `2.5` and `T9/2025` arrive as several pieces; glue a piece to a following
 * `. , / -` and digits when nothing separates them, so the number is read whole (and `2.5` is seen as
 * 2.5, never as 2 then 5).
 */
function joinNumberGroups(text: string, pieces: Token[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < pieces.length) {
    const head = pieces[i] as Token;
    i += 1;
    if (head.kind === 'punct' || !NUMBER_HEAD.test(head.folded)) {
      out.push(head);
      continue;
    }
    let last = head;
    while (continuesNumber(last, pieces[i], pieces[i + 1])) {
      last = pieces[i + 1] as Token;
      i += 2;
    }
    // Built once at the end: rebuilding per group would be quadratic on a pasted wall of digits.
    out.push(last === head ? head : makeToken(text.slice(head.start, last.end), head.start));
  }
  return out;
}

function continuesNumber(previous: Token, sep: Token | undefined, digits: Token | undefined): boolean {
  return (
    sep !== undefined &&
    digits !== undefined &&
    /^[.,/-]$/.test(sep.text) &&
    sep.start === previous.end &&
    digits.start === sep.end &&
    ASCII_DIGITS.test(digits.text)
  );
}

// ————————————————————————————————————————————————————————————— phrase dictionary

type Entry =
  | { kind: 'key'; key: string }
  | { kind: 'noise' }
  | { kind: 'zero' }
  | { kind: 'marker' };

interface Dictionary {
  phrases: Map<string, Entry>;
  maxWords: number;
}

interface Match {
  entry: Entry;
  end: number;
  words: number;
}

const dictionaries = new WeakMap<readonly CountFieldConfig[], Dictionary>();

/** Built once per field list: the handler passes the same array for every message of a commune. */
function dictionaryFor(fields: readonly CountFieldConfig[]): Dictionary {
  let dict = dictionaries.get(fields);
  if (!dict) {
    dict = buildDictionary(fields);
    dictionaries.set(fields, dict);
  }
  return dict;
}

function buildDictionary(fields: readonly CountFieldConfig[]): Dictionary {
  const phrases = new Map<string, Entry>();
  const add = (phrase: string, entry: Entry): void => {
    if (phrase) phrases.set(phrase, entry);
  };
  NOISE.forEach((p) => add(foldRepaired(p), { kind: 'noise' }));
  ZERO.forEach((p) => add(foldRepaired(p), { kind: 'zero' }));
  VILLAGE_MARKERS.forEach((p) => add(foldRepaired(p), { kind: 'marker' }));
  // Explicit aliases overwrite vocabulary; among fields the later one (a commune's extra row) wins.
  for (const field of fields) explicitAliases(field).forEach((p) => add(p, { kind: 'key', key: field.key }));
  // A label is a fallback alias: it never takes a phrase another row names explicitly.
  for (const field of fields) {
    const phrase = labelAlias(field.label);
    if (phrases.get(phrase)?.kind !== 'key') add(phrase, { kind: 'key', key: field.key });
  }
  let maxWords = 1;
  for (const phrase of phrases.keys()) maxWords = Math.max(maxWords, phrase.split(' ').length);
  return { phrases, maxWords };
}

/** Each alias as given, run together (`tuvong`, as people type it), and the key itself (`xamhai`). */
function explicitAliases(field: CountFieldConfig): string[] {
  const out = new Set<string>();
  for (const alias of [...field.aliases, field.key]) {
    const phrase = foldRepaired(alias);
    if (!phrase) continue;
    out.add(phrase);
    out.add(repairWord(phrase.replace(/ /g, '')));
  }
  return [...out];
}

function labelAlias(label: string): string {
  const words = foldRepaired(label).split(' ').filter(Boolean);
  while (words.length > 1 && LABEL_PREFIX.has(words[0] as string)) words.shift();
  return words.join(' ');
}

interface VillageNames {
  phrases: ReadonlySet<string>;
  maxWords: number;
}

/** Village names are matched per call; they are few and depend on the sender's commune. */
function villagePhrases(names: readonly string[] | undefined): VillageNames {
  const phrases = new Set<string>();
  let maxWords = 0;
  for (const name of Array.isArray(names) ? names : []) {
    const phrase = typeof name === 'string' ? foldRepaired(name) : '';
    if (!phrase) continue;
    phrases.add(phrase);
    maxWords = Math.max(maxWords, phrase.split(' ').length);
  }
  return { phrases, maxWords };
}

// ————————————————————————————————————————————————————————————— numbers and periods

type Whole = { ok: true; value: number } | { ok: false; why: 'not_whole' | 'too_large' };

/** `12`, `1.000`, `1,000` (same separator, groups of three) are whole numbers; `2.5`, `2,5`, `1/2` are not. */
function readWhole(chunk: string): Whole {
  let digits: string;
  if (ASCII_DIGITS.test(chunk)) digits = chunk;
  else if (/^[0-9]{1,3}([.,])[0-9]{3}(?:\1[0-9]{3})*$/.test(chunk)) digits = chunk.replace(/[.,]/g, '');
  else return { ok: false, why: 'not_whole' };
  const value = Number(digits);
  return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, why: 'too_large' };
}

/** A day-and-month or full date (`25/10`, `25/10/2025`): the date of writing, not a count or a period. */
function isDate(chunk: string): boolean {
  return /^[0-9]{1,2}\/[0-9]{1,2}$/.test(chunk) || /^[0-9]{1,2}([/.-])[0-9]{1,2}\1(?:[0-9]{2}|[0-9]{4})$/.test(chunk);
}

interface PeriodRead {
  next: number;
  /** Absent for `năm 2025` on its own: a year with no month sets nothing. */
  month?: number;
  year?: number;
  bad?: boolean;
}

const MARKED_MONTH = /^(?:t|thang)([0-9]{1,2})(?:[/.-]([0-9]{4}|[0-9]{2}))?$/;
const MONTH_YEAR = /^([0-9]{1,2})[/.-]([0-9]{4})$/;
const YEAR = /^[0-9]{4}$/;

/** Period forms starting at token i: `T10`, `T9/2025`, `10/2025`, `tháng 10`, `tháng 10 năm 2025`, `năm 2025`. */
function readPeriod(tokens: readonly Token[], i: number): PeriodRead | null {
  const tok = tokens[i] as Token;
  const marked = MARKED_MONTH.exec(tok.folded);
  if (marked) return checkPeriod(i + 1, marked[1], shortYear(marked[2]));
  const unmarked = tok.kind === 'num' ? MONTH_YEAR.exec(tok.folded) : null;
  if (unmarked) return checkPeriod(i + 1, unmarked[1], unmarked[2]);
  const next = tokens[i + 1];
  if (tok.norm === 'thang' && next?.kind === 'num') return readMonthWord(tokens, i + 1);
  if (tok.norm === 'nam' && next?.kind === 'num' && YEAR.test(next.folded)) return { next: i + 2 };
  return null;
}

/** After the word `tháng`: a month, optionally followed by `/2025`, `năm 2025` or `2025`. */
function readMonthWord(tokens: readonly Token[], i: number): PeriodRead | null {
  const tok = tokens[i] as Token;
  const withYear = MONTH_YEAR.exec(tok.folded);
  if (withYear) return checkPeriod(i + 1, withYear[1], withYear[2]);
  if (!/^[0-9]{1,2}$/.test(tok.folded)) return null;
  const after = tokens[i + 1];
  const afterNext = tokens[i + 2];
  if (after?.norm === 'nam' && afterNext?.kind === 'num' && YEAR.test(afterNext.folded)) {
    return checkPeriod(i + 3, tok.folded, afterNext.folded);
  }
  if (after?.kind === 'num' && YEAR.test(after.folded) && after.folded.startsWith('20')) {
    return checkPeriod(i + 2, tok.folded, after.folded);
  }
  return checkPeriod(i + 1, tok.folded, undefined);
}

function shortYear(year: string | undefined): string | undefined {
  return year !== undefined && year.length === 2 ? `20${year}` : year;
}

function checkPeriod(next: number, monthText: string | undefined, yearText: string | undefined): PeriodRead {
  const month = Number(monthText);
  const year = yearText === undefined ? undefined : Number(yearText);
  const bad = !(month >= 1 && month <= 12) || (year !== undefined && !(year >= 2000 && year <= 2100));
  return bad ? { next, bad: true } : { next, month, year };
}

// ————————————————————————————————————————————————————————————— the scan

type Pending =
  | { kind: 'key'; key: string }
  /** Unknown words waiting to see whether a number follows; `closed` once punctuation ends the phrase. */
  | { kind: 'unknown'; start: number; end: number; index: number; closed: boolean };

interface Hit {
  text: string;
  index: number;
  withValue: boolean;
}

interface PeriodHit {
  index: number;
  month: number;
  year?: number;
}

/**
 * One left-to-right pass. A row name opens a slot; the next number (or zero word) fills it, with
 * separators and filler words allowed in between. Unknown words open their own slot so that their
 * number is not taken as a stray count, and are named back to the sender.
 */
class Scan {
  readonly values = new Map<string, number[]>();
  readonly problems: CountsProblem[] = [];
  readonly unknown: Hit[] = [];
  readonly strays: Hit[] = [];
  readonly periods: PeriodHit[] = [];
  readonly valueless = new Set<string>();
  firstKeyIndex = Number.POSITIVE_INFINITY;
  private pending: Pending | null = null;

  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
    private readonly dict: Dictionary,
    private readonly villages: VillageNames,
  ) {}

  run(): this {
    let i = 0;
    while (i < this.tokens.length) i = this.step(i);
    this.endSlot();
    return this;
  }

  private step(i: number): number {
    const tok = this.tokens[i] as Token;
    if (tok.kind === 'punct' && this.isMinus(i)) return this.onNumber(i + 1, true);
    if (tok.kind === 'punct' || tok.kind === 'newline') {
      if (this.pending?.kind === 'unknown') this.pending.closed = true;
      return i + 1;
    }
    const period = readPeriod(this.tokens, i);
    if (period) return this.onPeriod(i, period);
    if (tok.kind === 'num') return this.onNumber(i, false);
    return this.onWord(i);
  }

  /** `-` glued to a number and not glued to a word before it: `sinh -1`, `sinh:-1`, `\n-1`, but not `sinh-1`. */
  private isMinus(i: number): boolean {
    const tok = this.tokens[i] as Token;
    const next = this.tokens[i + 1];
    const prev = this.tokens[i - 1];
    if (tok.text !== '-' && tok.text !== '\u2212') return false;
    if (next?.kind !== 'num' || next.start !== tok.end) return false;
    return prev === undefined || prev.end !== tok.start || (prev.kind !== 'word' && prev.kind !== 'num');
  }

  private onNumber(i: number, negative: boolean): number {
    const tok = this.tokens[i] as Token;
    const raw = shorten(negative ? `-${tok.text}` : tok.text);
    const pending = this.pending;
    if (pending?.kind === 'key') {
      this.pending = null;
      this.assign(pending.key, tok.folded, raw, negative);
    } else if (pending?.kind === 'unknown') {
      this.flushUnknown(true);
    } else if (!isDate(tok.folded)) {
      this.strays.push({ text: raw, index: i, withValue: true });
    }
    return i + 1;
  }

  private assign(key: string, chunk: string, raw: string, negative: boolean): void {
    const whole = readWhole(chunk);
    if (negative) this.problems.push({ kind: 'negative', key, raw });
    else if (!whole.ok) this.problems.push({ kind: whole.why, key, raw });
    else this.record(key, whole.value);
  }

  private record(key: string, value: number): void {
    const list = this.values.get(key);
    if (list) list.push(value);
    else this.values.set(key, [value]);
  }

  private onPeriod(i: number, period: PeriodRead): number {
    this.endSlot();
    const raw = this.excerpt(i, period.next);
    if (period.bad) this.problems.push({ kind: 'bad_period', raw });
    else if (period.month !== undefined) this.periods.push({ index: i, month: period.month, year: period.year });
    return period.next;
  }

  private onWord(i: number): number {
    const match = this.matchAt(i);
    if (match?.entry.kind === 'key') return this.onKey(match.entry.key, i, match.end);
    if (this.pending?.kind === 'key' && (!match || match.words === 1)) {
      const end = this.numberWordsEnd(i);
      if (end > i) return this.onNumberWords(i, end);
    }
    if (match?.entry.kind === 'zero') return this.onZero(match.end);
    if (match?.entry.kind === 'marker') return this.skipVillage(match.end);
    if (match) return match.end;
    return this.onUnknownWord(i);
  }

  /** Longest phrase of consecutive words starting at i; a row name beats a village name of equal length. */
  private matchAt(i: number): Match | null {
    const words: string[] = [];
    const limit = Math.max(this.dict.maxWords, this.villages.maxWords);
    for (let j = i; j < this.tokens.length && words.length < limit; j += 1) {
      const tok = this.tokens[j] as Token;
      if (tok.kind !== 'word') break;
      words.push(tok.norm);
    }
    for (let n = words.length; n > 0; n -= 1) {
      const phrase = words.slice(0, n).join(' ');
      const entry = this.dict.phrases.get(phrase);
      if (entry?.kind === 'key') return { entry, end: i + n, words: n };
      if (this.villages.phrases.has(phrase)) return { entry: { kind: 'noise' }, end: i + n, words: n };
      if (entry) return { entry, end: i + n, words: n };
    }
    return null;
  }

  private onKey(key: string, i: number, end: number): number {
    const pending = this.pending;
    // Two names of one row in a row ("mua bán, bắt cóc 2") wait for a single number.
    if (pending?.kind === 'key' && pending.key === key) return end;
    this.endSlot();
    this.pending = { kind: 'key', key };
    this.firstKeyIndex = Math.min(this.firstKeyIndex, i);
    return end;
  }

  /**
   * End of a run of number words standing on their own (then punctuation, a known word or the end),
   * or i. Folding makes "tu" of "tu vong2k" look like "tư" (four); inside an unknown phrase it is not
   * a value.
   */
  private numberWordsEnd(i: number): number {
    let j = i;
    while (this.tokens[j]?.kind === 'word' && NUMBER_WORDS.has((this.tokens[j] as Token).norm)) j += 1;
    const after = this.tokens[j];
    const standsAlone = after === undefined || after.kind !== 'word' || this.matchAt(j) !== null;
    return standsAlone ? j : i;
  }

  /** "sinh ba": the row is named, but the value is a word; report it rather than guess. */
  private onNumberWords(i: number, end: number): number {
    const pending = this.pending;
    if (pending?.kind !== 'key') return end;
    this.problems.push({ kind: 'not_whole', key: pending.key, raw: this.excerpt(i, end) });
    this.pending = null;
    return end;
  }

  private onZero(end: number): number {
    const pending = this.pending;
    if (pending?.kind === 'key') {
      this.record(pending.key, 0);
      this.pending = null;
    } else if (pending?.kind === 'unknown') {
      this.flushUnknown(true);
    }
    return end;
  }

  /** After `thôn`, `xóm`, `bản`…: the village number (`thôn 3`) or name up to the next row or punctuation. */
  private skipVillage(i: number): number {
    this.endSlot();
    if (this.tokens[i]?.kind === 'num') return i + 1;
    let j = i;
    while (j < this.tokens.length && this.tokens[j]?.kind === 'word') {
      if (this.matchAt(j)?.entry.kind === 'key' || readPeriod(this.tokens, j)) break;
      j += 1;
    }
    return j;
  }

  private onUnknownWord(i: number): number {
    const tok = this.tokens[i] as Token;
    const pending = this.pending;
    if (pending?.kind === 'unknown' && !pending.closed) {
      pending.end = tok.end;
      return i + 1;
    }
    this.endSlot();
    this.pending = { kind: 'unknown', start: tok.start, end: tok.end, index: i, closed: false };
    return i + 1;
  }

  /** Closes whatever slot is open: a row without a number, or unknown words without one. */
  private endSlot(): void {
    const pending = this.pending;
    if (pending?.kind === 'key') this.valueless.add(pending.key);
    if (pending?.kind === 'unknown') this.flushUnknown(false);
    this.pending = null;
  }

  /** The sender's own text for tokens [from, to), shortened: it is echoed back in a chat message. */
  private excerpt(from: number, to: number): string {
    return shorten(this.text.slice((this.tokens[from] as Token).start, (this.tokens[to - 1] as Token).end));
  }

  private flushUnknown(withValue: boolean): void {
    const pending = this.pending;
    if (pending?.kind !== 'unknown') return;
    this.unknown.push({ text: this.text.slice(pending.start, pending.end), index: pending.index, withValue });
    this.pending = null;
  }
}

// ————————————————————————————————————————————————————————————— assembling the reading

/** Reads one message. Never throws; see the module comment for what it promises. */
export function parseCounts(text: string, fields: readonly CountFieldConfig[], opts: ParseCountsOptions): CountsReading {
  try {
    return readCounts(text, fields, opts);
  } catch {
    // A bug must not take the chat down: the handler asks the sender to resend.
    return { period: null, counts: {}, unknown: [], problems: [{ kind: 'unreadable' }], missing: [] };
  }
}

function readCounts(text: string, fields: readonly CountFieldConfig[], opts: ParseCountsOptions): CountsReading {
  // Format characters (zero-width spaces, joiners) split words invisibly; they carry no meaning here.
  const clean = (typeof text === 'string' ? text : '').normalize('NFC').replace(/\p{Cf}/gu, '');
  const list = Array.isArray(fields) ? fields : [];
  const scan = new Scan(clean, tokenize(clean), dictionaryFor(list), villagePhrases(opts?.villageNames)).run();
  dropHeader(scan);
  const problems = [...scan.problems];
  const period = resolvePeriod(scan.periods, opts, problems);
  const counts = settleCounts(scan.values, problems);
  checkParts(list, counts, problems);
  problems.push(...strayProblems(scan.strays));
  const named = new Set(problems.flatMap((p) => ('key' in p ? [p.key] : [])));
  for (const key of scan.valueless) {
    if (!(key in counts) && !named.has(key)) problems.push({ kind: 'no_number', key });
  }
  const mentioned = new Set(problems.flatMap((p) => ('key' in p ? [p.key] : [])));
  const missing = list.map((f) => f.key).filter((key) => !(key in counts) && !mentioned.has(key));
  return { period, counts, unknown: unknownPhrases(scan.unknown), problems, missing };
}

/**
 * "THÔN NÀ CA BÁO CÁO THÁNG 8/2025. SINH 5": when the period comes before the first row, everything
 * before it is a header. Its words and numbers are not unknown keys; a phrase with a number stays.
 */
function dropHeader(scan: Scan): void {
  const first = scan.periods[0]?.index;
  if (first === undefined || first > scan.firstKeyIndex) return;
  const keep = (hit: Hit): boolean => hit.index > first || hit.withValue;
  scan.unknown.splice(0, scan.unknown.length, ...scan.unknown.filter(keep));
  scan.strays.splice(0, scan.strays.length, ...scan.strays.filter((hit) => hit.index > first));
}

/** One value per row; the same row twice with different values is asked back, not guessed. */
function settleCounts(values: ReadonlyMap<string, number[]>, problems: CountsProblem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, list] of values) {
    const distinct = [...new Set(list)];
    if (distinct.length === 1) counts[key] = distinct[0] as number;
    else problems.push({ kind: 'duplicate', key, values: distinct });
  }
  return counts;
}

/** A total must be at least the sum of its sub-rows that were given. */
function checkParts(fields: readonly CountFieldConfig[], counts: Record<string, number>, problems: CountsProblem[]): void {
  for (const total of fields) {
    const totalValue = counts[total.key];
    if (totalValue === undefined) continue;
    const parts = fields
      .filter((f) => f.partOf === total.key && counts[f.key] !== undefined)
      .map((f) => ({ key: f.key, value: counts[f.key] as number }));
    const sum = parts.reduce((acc, p) => acc + p.value, 0);
    if (sum > totalValue) problems.push({ kind: 'parts_exceed_total', key: total.key, total: totalValue, parts, sum });
  }
}

function strayProblems(strays: readonly Hit[]): CountsProblem[] {
  return strays.slice(0, MAX_STRAY).map((hit) => ({ kind: 'stray_number', raw: hit.text }));
}

/** Distinct (by folded form), shortened for display, and capped so a pasted essay stays readable. */
function unknownPhrases(hits: readonly Hit[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const hit of hits) {
    const text = shorten(hit.text).replace(/\s+/g, ' ');
    const folded = fold(text);
    if (seen.has(folded)) continue;
    seen.add(folded);
    out.push(text);
    if (out.length >= MAX_UNKNOWN) break;
  }
  return out;
}

/** Cut by code points so an emoji is never split; only the head of a long phrase is ever looked at. */
function shorten(text: string): string {
  const chars = [...text.slice(0, MAX_UNKNOWN_CHARS * 2)];
  return chars.length <= MAX_UNKNOWN_CHARS ? text : `${chars.slice(0, MAX_UNKNOWN_CHARS - 1).join('')}…`;
}

// ————————————————————————————————————————————————————————————— period

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

function resolvePeriod(hits: readonly PeriodHit[], opts: ParseCountsOptions, problems: CountsProblem[]): ReadPeriod | null {
  const today = localDate(opts?.now, opts?.timezone);
  const explicit = hits.flatMap((hit) => {
    const year = hit.year ?? (today ? yearOfMonth(hit.month, today) : undefined);
    return year === undefined ? [] : [{ year, month: hit.month, yearGiven: hit.year !== undefined }];
  });
  const first = explicit[0];
  if (first) {
    const distinct = uniquePeriods(explicit);
    if (distinct.length > 1) problems.push({ kind: 'period_conflict', periods: distinct });
    return { year: first.year, month: first.month, source: 'explicit', yearGiven: first.yearGiven };
  }
  if (!today) return null;
  return { ...inferPeriod(today, opts.dueDay), source: 'inferred', yearGiven: false };
}

/** `T12` written in January is last December: reports are for the current or a past month. */
function yearOfMonth(month: number, today: LocalDate): number {
  return month > today.month ? today.year - 1 : today.year;
}

/** Up to and including the due day, last month's counts are still being sent; after it, this month's. */
function inferPeriod(today: LocalDate, dueDay: number): CountsPeriod {
  const due = Number.isFinite(dueDay) ? dueDay : 25;
  if (today.day > due) return { year: today.year, month: today.month };
  return today.month === 1 ? { year: today.year - 1, month: 12 } : { year: today.year, month: today.month - 1 };
}

function uniquePeriods(periods: readonly CountsPeriod[]): CountsPeriod[] {
  const seen = new Map<string, CountsPeriod>();
  for (const p of periods) seen.set(`${p.year}-${p.month}`, { year: p.year, month: p.month });
  return [...seen.values()];
}

function localDate(now: Date | undefined, timezone: string | undefined): LocalDate | null {
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) return null;
  const { year, month, day } = wallClock(now.getTime(), typeof timezone === 'string' ? timezone : 'Asia/Ho_Chi_Minh');
  return { year, month, day };
}

// ————————————————————————————————————————————————————————————— confirmation text

/**
 * The reading as plain Vietnamese lines for the sender to confirm: period, counts in form order,
 * unknown words, problems and missing rows.
 */
export function describeCounts(reading: CountsReading, fields: readonly CountFieldConfig[]): string[] {
  const labels = new Labels(fields);
  return [
    periodLine(reading.period),
    ...countLines(reading.counts, fields, labels),
    ...unknownLines(reading.unknown),
    ...reading.problems.map((p) => describeProblem(p, labels)),
    ...missingLines(reading.missing, labels),
  ];
}

/** "Tháng 10/2025". */
export function formatPeriod(period: CountsPeriod): string {
  return `Tháng ${period.month}/${period.year}`;
}

class Labels {
  private readonly byKey: Map<string, CountFieldConfig>;

  constructor(fields: readonly CountFieldConfig[]) {
    this.byKey = new Map(fields.map((f) => [f.key, f]));
  }

  /** The form's label, sub-rows indented with their dash as on paper. */
  row(key: string): string {
    return this.byKey.get(key)?.label ?? key;
  }

  /** A label that stands alone in a sentence: "– bị bạo lực" becomes "Trẻ em bị bạo lực". */
  alone(key: string): string {
    const label = this.row(key);
    const stripped = label.replace(/^[\s\-–—]+/, '');
    if (stripped === label || !stripped) return label;
    return /^\p{Ll}/u.test(stripped) ? `Trẻ em ${stripped}` : stripped;
  }

  isSubRowOf(key: string): string | undefined {
    return this.byKey.get(key)?.partOf;
  }
}

function periodLine(period: ReadPeriod | null): string {
  if (!period) return 'Kỳ báo cáo: chưa xác định, xin ghi rõ tháng (ví dụ: T10/2025).';
  const text = `Kỳ báo cáo: ${formatPeriod(period)}`;
  return period.source === 'inferred' ? `${text} (tin nhắn không ghi tháng, xin xác nhận)` : text;
}

function countLines(counts: Record<string, number>, fields: readonly CountFieldConfig[], labels: Labels): string[] {
  const known = fields.filter((f) => counts[f.key] !== undefined);
  if (known.length === 0) return ['Chưa đọc được số liệu nào.'];
  return known.map((f) => {
    const total = labels.isSubRowOf(f.key);
    // A dash row only reads right under its total; alone it needs the full wording.
    const label = total !== undefined && counts[total] !== undefined ? labels.row(f.key) : labels.alone(f.key);
    return `${label}: ${counts[f.key]}`;
  });
}

function unknownLines(unknown: readonly string[]): string[] {
  if (unknown.length === 0) return [];
  return [`Chưa hiểu: ${unknown.map((u) => `"${u}"`).join(', ')}.`];
}

function missingLines(missing: readonly string[], labels: Labels): string[] {
  if (missing.length === 0) return [];
  return [`Chưa có số: ${missing.map((key) => labels.alone(key)).join(', ')}.`];
}

function describeProblem(problem: CountsProblem, labels: Labels): string {
  switch (problem.kind) {
    case 'negative':
      return `${labels.alone(problem.key)}: "${problem.raw}" là số âm, xin ghi lại (ghi 0 nếu không có).`;
    case 'not_whole':
      return `${labels.alone(problem.key)}: "${problem.raw}" không phải số nguyên, xin ghi bằng chữ số (ví dụ: 3).`;
    case 'too_large':
      return `${labels.alone(problem.key)}: "${problem.raw}" quá lớn, xin kiểm tra lại.`;
    case 'no_number':
      return `${labels.alone(problem.key)}: chưa ghi số.`;
    case 'duplicate':
      return `${labels.alone(problem.key)}: ghi nhiều lần với số khác nhau (${problem.values.join(', ')}), xin cho biết số đúng.`;
    case 'parts_exceed_total': {
      const parts = problem.parts.map((p) => `${labels.alone(p.key)} ${p.value}`).join(' + ');
      return `${labels.alone(problem.key)} là ${problem.total}, nhưng các dòng con cộng lại là ${problem.sum} (${parts}), xin kiểm tra lại.`;
    }
    case 'stray_number':
      return `Số "${problem.raw}" không rõ thuộc mục nào.`;
    case 'bad_period':
      return `Không hiểu kỳ báo cáo "${problem.raw}", xin ghi rõ tháng (ví dụ: T10/2025).`;
    case 'period_conflict':
      return `Tin nhắn ghi nhiều kỳ khác nhau (${problem.periods.map(formatPeriod).join(', ')}), xin cho biết kỳ đúng.`;
    case 'unreadable':
      return 'Không đọc được tin nhắn, xin gửi lại.';
  }
}

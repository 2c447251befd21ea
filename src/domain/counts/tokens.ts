/**
 * The counts message cut into tokens, and what single tokens or short runs of them mean as numbers and
 * period forms (`T10`, `10/2025`, `tháng 10 năm 2025`). Pure; the scanner walks the tokens.
 */
import { numberFromWords } from '../../text/numbers.js';
import { fold, repairWord } from '../../text/vietnamese.js';

type TokenKind = 'word' | 'num' | 'punct' | 'newline';

export interface Token {
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
const NUMBER_HEAD = /^(?:[0-9]+|t[0-9]{1,2}|thg[0-9]{1,2}|thang[0-9]{1,2})$/;
const NUMERIC_CHUNK = /^[0-9][0-9.,/-]*$/;

export function tokenize(text: string): Token[] {
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

type Whole = { ok: true; value: number } | { ok: false; why: 'not_whole' | 'too_large' };

/** `12`, `1.000`, `1,000` (same separator, groups of three) are whole numbers; `2.5`, `2,5`, `1/2` are not. */
export function readWhole(chunk: string): Whole {
  let digits: string;
  if (ASCII_DIGITS.test(chunk)) digits = chunk;
  else if (/^[0-9]{1,3}([.,])[0-9]{3}(?:\1[0-9]{3})*$/.test(chunk)) digits = chunk.replace(/[.,]/g, '');
  else return { ok: false, why: 'not_whole' };
  const value = Number(digits);
  return Number.isSafeInteger(value) ? { ok: true, value } : { ok: false, why: 'too_large' };
}

/** A day-and-month or full date (`25/10`, `25/10/2025`): the date of writing, not a count or a period. */
export function isDate(chunk: string): boolean {
  return /^[0-9]{1,2}\/[0-9]{1,2}$/.test(chunk) || /^[0-9]{1,2}([/.-])[0-9]{1,2}\1(?:[0-9]{2}|[0-9]{4})$/.test(chunk);
}

export interface PeriodRead {
  next: number;
  /** Absent for `năm 2025` on its own: a year with no month sets nothing. */
  month?: number;
  year?: number;
  bad?: boolean;
  /**
   * A month named from the day the message is sent: -1 for "tháng trước", "tháng vừa rồi" (the month
   * before), 0 for "tháng này" (the month it is sent in).
   */
  relative?: -1 | 0;
}

const MARKED_MONTH = /^(?:t|thg|thang)([0-9]{1,2})(?:[/.-]([0-9]{4}|[0-9]{2}))?$/;
/** Marks written with a dot before the month: "T.11", "Th.11", "Thg.11". */
const DOTTED_MARKS = new Set(['t', 'th', 'thg']);
/** "tháng", and "thg" as village heads shorten it. */
const MONTH_WORDS = new Set(['thang', 'thg']);
const MONTH_YEAR = /^([0-9]{1,2})[/.-]([0-9]{4})$/;
const YEAR = /^[0-9]{4}$/;
/** After "tháng": the words that make it last month ("tháng trước", "tháng vừa qua", "tháng rồi") or this one ("tháng này"). */
const RELATIVE_MONTH: ReadonlyArray<[string, -1 | 0]> = [['truoc', -1], ['qua', -1], ['roi', -1], ['vua roi', -1], ['vua qua', -1], ['nay', 0], ['hien tai', 0]];

/**
 * Period forms starting at token i: `T10`, `T9/2025`, `10/2025`, `tháng 10`, `tháng 10 năm 2025`,
 * `tháng mười`, `năm 2025`, last month (`tháng trước`, `tháng vừa rồi`) and this month (`tháng này`). "năm" followed by a
 * four-digit year is the year, never the number five.
 */
export function readPeriod(tokens: readonly Token[], i: number): PeriodRead | null {
  const tok = tokens[i] as Token;
  const marked = MARKED_MONTH.exec(tok.folded);
  if (marked) return checkPeriod(i + 1, marked[1], shortYear(marked[2]));
  const dotted = dottedMonth(tokens, i);
  if (dotted) return dotted;
  const unmarked = tok.kind === 'num' ? MONTH_YEAR.exec(tok.folded) : null;
  if (unmarked) return checkPeriod(i + 1, unmarked[1], unmarked[2]);
  const next = tokens[i + 1];
  if (MONTH_WORDS.has(tok.norm) && next?.kind === 'num') return readMonthWord(tokens, i + 1);
  if (MONTH_WORDS.has(tok.norm) && next?.kind === 'word') return readRelativeMonth(tokens, i + 1) ?? readMonthName(tokens, i + 1);
  if (tok.norm === 'nam' && next?.kind === 'num' && YEAR.test(next.folded)) return { next: i + 2 };
  return null;
}

/** "T.11", "Th.11/2025": the month mark, a dot and the month glued together. */
function dottedMonth(tokens: readonly Token[], i: number): PeriodRead | null {
  const [mark, dot, month] = [tokens[i] as Token, tokens[i + 1], tokens[i + 2]];
  if (!DOTTED_MARKS.has(mark.folded) || dot?.text !== '.' || month?.kind !== 'num' || dot.start !== mark.end || month.start !== dot.end) return null;
  const m = /^([0-9]{1,2})(?:[/.-]([0-9]{4}|[0-9]{2}))?$/.exec(month.folded);
  return m ? checkPeriod(i + 3, m[1], shortYear(m[2])) : null;
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

/** `tháng trước`, `tháng vừa rồi`, `tháng này`: a month worked out from the day the message is read. */
function readRelativeMonth(tokens: readonly Token[], i: number): PeriodRead | null {
  for (const [phrase, relative] of RELATIVE_MONTH) {
    const words = phrase.split(' ');
    if (words.every((word, k) => tokens[i + k]?.kind === 'word' && tokens[i + k]?.norm === word)) return { next: i + words.length, relative };
  }
  return null;
}

/** Months by name after `tháng`; the rest are number words ("tháng mười", "tháng mười hai"). */
const MONTH_NAMES: Record<string, number> = { gieng: 1, chap: 12 };

/** `tháng mười`, `tháng chạp`, `tháng ba năm 2026`: a month in words, optionally with its year. */
function readMonthName(tokens: readonly Token[], i: number): PeriodRead | null {
  for (const length of [2, 1]) {
    const words = tokens.slice(i, i + length);
    if (words.length < length || words.some((t) => t.kind !== 'word')) continue;
    const phrase = words.map((t) => t.norm).join(' ');
    const month = MONTH_NAMES[phrase] ?? numberFromWords(phrase);
    if (month === undefined || month < 1 || month > 12) continue;
    // "tháng năm 2026" is a month and a year written loosely; keep "năm" for the year.
    if (phrase === 'nam' && tokens[i + 1]?.kind === 'num') continue;
    const after = tokens[i + length];
    const year = tokens[i + length + 1];
    if (after?.norm === 'nam' && year?.kind === 'num' && YEAR.test(year.folded)) return checkPeriod(i + length + 2, String(month), year.folded);
    if (after?.kind === 'num' && YEAR.test(after.folded)) return checkPeriod(i + length + 1, String(month), after.folded);
    return checkPeriod(i + length, String(month), undefined);
  }
  return null;
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

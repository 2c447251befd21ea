/**
 * Reads a village head's monthly counts message (docs/domain.md §5). Pure and channel-agnostic: text in,
 * a typed reading out; the handler decides what to ask back and the sender confirms before anything
 * counts. Two promises hold for any input: it never throws, and every count it returns is written in
 * the message, as its own number token, in number words (`hai mươi mốt`), or as `không`/`ko`/`k` next
 * to the row, meaning zero, or is a zero the sender gave every row not written ("còn lại không có").
 *
 * The pieces: tokens.ts cuts the text, vocabulary.ts knows the words, scanner.ts (with its scan-*.ts layers) turns the tokens into
 * rows and numbers, pairing.ts ties each number to its row; this module settles what they found into a
 * reading, and periods.ts decides which month a message means. The wording shown back is handlers/counts/texts.ts.
 */
import type { CountFieldConfig } from '../../config/communes.js';
import { fold } from '../../text/vietnamese.js';
import { localDay } from '../local-time.js';
import { addMonths, parsePeriodKey, periodDueAround, periodKey, periodOfDay, yearOfMonth, type CountsPeriod } from './periods.js';
import type { CountsProblem, CountsReading, ParseCountsOptions, ReadPeriod } from './reading.js';
import { pairItems, type Pairing, type Written } from './pairing.js';
import { shorten, type Hit, type PeriodHit } from './scan-items.js';
import { Scan } from './scanner.js';
import { tokenize } from './tokens.js';
import { dictionaryFor, villagePhrases } from './vocabulary.js';

const MAX_UNKNOWN = 20;
const MAX_STRAY = 20;
/** The due day when the options carry none (the communes file's default). */
const DEFAULT_DUE_DAY = 25;

// ————————————————————————————————————————————————————————————— assembling the reading

/** Reads one message. Never throws; see the module comment for what it promises. */
export function parseCounts(text: string, fields: readonly CountFieldConfig[], opts: ParseCountsOptions): CountsReading {
  try {
    return settle(scanCounts(text, fields, opts), opts);
  } catch {
    return UNREADABLE();
  }
}

/**
 * As parseCounts, but undefined, read no further than the scan, for a message that gives no count:
 * neither a row's name and a number (the only pairs counts come from) nor "the rest is zero". For a
 * message that is most likely no counts at all (every answer in a report is checked for a village
 * head's counts): the pairing and what follows it were about half of reading one, CPU and garbage alike.
 */
export function parseCountsIfAny(text: string, fields: readonly CountFieldConfig[], opts: ParseCountsOptions): CountsReading | undefined {
  try {
    const scanned = scanCounts(text, fields, opts);
    const { items, restZero } = scanned.scan;
    const count = restZero || (items.some((i) => i.kind === 'label' && i.key !== undefined) && items.some((i) => i.kind === 'number'));
    return count ? settle(scanned, opts) : undefined;
  } catch {
    return UNREADABLE();
  }
}

// A bug must not take the chat down: the handler asks the sender to resend.
const UNREADABLE = (): CountsReading => ({ period: null, counts: {}, unknown: [], problems: [{ kind: 'unreadable' }], missing: [] });

interface Scanned {
  clean: string;
  list: readonly CountFieldConfig[];
  scan: Scan;
}

function scanCounts(text: string, fields: readonly CountFieldConfig[], opts: ParseCountsOptions): Scanned {
  // Format characters (zero-width spaces, joiners) split words invisibly; they carry no meaning here.
  const clean = (typeof text === 'string' ? text : '').normalize('NFC').replace(/\p{Cf}/gu, '');
  const list = Array.isArray(fields) ? fields : [];
  return { clean, list, scan: new Scan(clean, tokenize(clean), dictionaryFor(list), villagePhrases(opts?.villageNames)).run() };
}

function settle({ clean, list, scan }: Scanned, opts: ParseCountsOptions): CountsReading {
  const pairing = pairItems(scan.items, (start, end) => shorten(clean.slice(start, end)));
  dropHeader(scan, pairing);
  const problems = [...scan.problems, ...pairing.problems];
  const period = resolvePeriod(scan.periods, opts, problems);
  const counts = settleCounts(pairing.values, problems);
  checkParts(list, counts, problems);
  problems.push(...strayProblems(pairing.strays));
  const named = new Set(problems.flatMap(problemKeys));
  for (const key of pairing.valueless) {
    if (!(key in counts) && !named.has(key)) problems.push({ kind: 'no_number', key });
  }
  const zeroed = scan.restZero && !unplacedNumber(pairing, problems) ? zeroTheRest(list, counts, problems) : [];
  const mentioned = new Set(problems.flatMap(problemKeys));
  const missing = list.map((f) => f.key).filter((key) => !(key in counts) && !mentioned.has(key));
  const reading: CountsReading = { period, counts, unknown: unknownPhrases(sortHits(pairing.unknown)), problems, missing };
  if (zeroed.length) reading.zeroed = zeroed;
  const added = [...pairing.values].filter(([key, written]) => key in counts && written.every((w) => w.more)).map(([key]) => key);
  if (added.length) reading.added = added;
  return reading;
}

/**
 * A number written but tied to no row ("1 cháu bị chó nhà hàng xóm cắn", a stray, a grown-up's): it may
 * be any row's, so "còn lại không có" cannot make the rows not written zero; they are asked instead.
 */
function unplacedNumber(pairing: Pairing, problems: readonly CountsProblem[]): boolean {
  return (
    pairing.strays.length > 0 ||
    pairing.unknown.some((hit) => hit.withValue) ||
    problems.some((p) => p.kind === 'unsure' || (p.kind === 'not_a_child' && p.raw !== undefined))
  );
}

function problemKeys(problem: CountsProblem): string[] {
  if ('key' in problem) return [problem.key];
  return problem.kind === 'unsure' ? problem.keys : [];
}

/** In message order, as the sender wrote them. */
function sortHits(hits: Hit[]): Hit[] {
  return hits.sort((a, b) => a.index - b.index);
}

/**
 * "THÔN NÀ CA BÁO CÁO THÁNG 8/2025. SINH 5": when the period comes before the first row, everything
 * before it is a header. Its words and numbers are not unknown keys; a phrase with a number stays.
 */
function dropHeader(scan: Scan, pairing: Pairing): void {
  const first = scan.periods[0]?.index;
  if (first === undefined || first > scan.firstKeyIndex) return;
  const keep = (hit: Hit): boolean => hit.index > first || hit.withValue;
  pairing.unknown.splice(0, pairing.unknown.length, ...pairing.unknown.filter(keep));
  pairing.strays.splice(0, pairing.strays.length, ...pairing.strays.filter((hit) => hit.index > first));
}

/**
 * One value per row. The same row twice with different values is asked back, not guessed; so is a row
 * given under two names ("tai nạn giao thông 1, ngã 1"): two children, or one said twice? Groups of
 * children counted each on its own ("1 cháu bị ngã gãy tay, 1 cháu bị ngã xe đạp") are never taken for
 * one said twice: asked, unless each one after the first is joined by "và", "còn", "thêm" ("1 cặp song
 * sinh và 1 cháu sinh thường"), which adds them up.
 */
function settleCounts(values: ReadonlyMap<string, Written[]>, problems: CountsProblem[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [key, written] of values) {
    // "sinh 3, à nhầm, sinh 2": what the sender corrected is no longer theirs to be asked about.
    const list = written.slice(Math.max(0, written.findLastIndex((w) => w.corrects)));
    const distinct = [...new Set(list.map((w) => w.value))];
    const names = new Set(list.map((w) => fold(w.name)));
    const groups = list.length > 1 && list.every((w) => w.group);
    if (groups && list.slice(1).every((w) => w.joined)) counts[key] = list.reduce((sum, w) => sum + w.value, 0);
    else if (groups) problems.push({ kind: 'duplicate', key, values: list.map((w) => w.value), names: list.map((w) => w.name) });
    else if (distinct.length === 1 && names.size === 1) counts[key] = distinct[0] as number;
    else if (names.size === 1) problems.push({ kind: 'duplicate', key, values: distinct });
    else problems.push({ kind: 'duplicate', key, values: list.map((w) => w.value), names: list.map((w) => w.name) });
  }
  return counts;
}

/**
 * "còn lại không có": every row not given in `counts` is zero, except rows with a problem and the
 * sub-rows of a total that the sub-rows given do not add up to yet (which of them holds the rest is not
 * known, so they are asked). Returns the rows it zeroed. Also used on a draft's values, where "the rest"
 * are the rows no message of the conversation gave.
 */
export function zeroTheRest(fields: readonly CountFieldConfig[], counts: Record<string, number>, problems: readonly CountsProblem[]): string[] {
  const withProblem = new Set(problems.flatMap(problemKeys));
  const zeroed: string[] = [];
  const given = (total: string): number => fields.reduce((sum, f) => sum + (f.partOf === total ? (counts[f.key] ?? 0) : 0), 0);
  const open = new Set(fields.filter((f) => (counts[f.key] ?? 0) > given(f.key)).map((f) => f.key));
  for (const f of fields) {
    if (f.key in counts || withProblem.has(f.key) || (f.partOf && open.has(f.partOf))) continue;
    counts[f.key] = 0;
    zeroed.push(f.key);
  }
  return zeroed;
}

/**
 * Sub-rows whose value their total already tells: when the sub-rows given add up to the total ("xâm hại
 * 0", or "xâm hại 2, bạo lực 2"), every other sub-row of it is 0, not a number still missing.
 */
export function partsImplied(fields: readonly CountFieldConfig[], counts: Readonly<Record<string, number>>): string[] {
  const implied: string[] = [];
  for (const total of fields) {
    const value = counts[total.key];
    if (value === undefined) continue;
    const parts = fields.filter((f) => f.partOf === total.key);
    const sum = parts.reduce((acc, f) => acc + (counts[f.key] ?? 0), 0);
    if (sum === value) implied.push(...parts.filter((f) => counts[f.key] === undefined).map((f) => f.key));
  }
  return implied;
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

// ————————————————————————————————————————————————————————————— period

function resolvePeriod(hits: readonly PeriodHit[], opts: ParseCountsOptions, problems: CountsProblem[]): ReadPeriod | null {
  const now = opts?.now;
  const today = now instanceof Date && !Number.isNaN(now.getTime()) ? localDay(now.getTime(), opts.timezone) : null;
  const explicit = hits.flatMap((hit) => {
    // "tháng trước" beside "tháng 11" sent in November is another month: asked (period_conflict).
    if ('relative' in hit) {
      const month = today ? parsePeriodKey(addMonths(periodOfDay(today), hit.relative)) : undefined;
      return month ? [{ ...month, yearGiven: false }] : [];
    }
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
  const dueDay = Number.isFinite(opts.dueDay) ? opts.dueDay : DEFAULT_DUE_DAY;
  return { ...periodDueAround(today, dueDay), source: 'inferred', yearGiven: false };
}

function uniquePeriods(periods: readonly CountsPeriod[]): CountsPeriod[] {
  const seen = new Map<string, CountsPeriod>();
  for (const p of periods) seen.set(periodKey(p), { year: p.year, month: p.month });
  return [...seen.values()];
}

/**
 * Which number belongs to which row (docs/domain.md §5). People write the number after the row
 * ("sinh 3, tử vong 0") or before it ("3 cháu sinh ra, 0 tử vong"), so order alone does not say; the
 * punctuation and the rest of the message do. When they still do not, the rows are asked back rather
 * than guessed.
 *
 * The scan's items are cut into chains: runs where rows and numbers alternate (two rows or two numbers
 * side by side, a period, a date or a village name end a chain). A chain can be read two ways only:
 * each row takes the number after it ("row first") or the number before it ("number first"). A reading
 * wins when it pairs at least as much and its pairs are at least as tight (less punctuation inside a
 * pair than between pairs), and is strictly better on one of the two. Chains left undecided follow the
 * way the rest of the message was written; failing that, a chain of two or more pairs is read row first
 * (the form's own order), and a single number between two rows is asked about.
 */
import type { CountsProblem } from './reading.js';
import type { Hit, Item } from './scan-items.js';

type Label = Extract<Item, { kind: 'label' }>;
type NumberItem = Extract<Item, { kind: 'number' }>;
type Way = 'row_first' | 'number_first';

export interface Written {
  value: number;
  /** The row's name as the sender wrote it there. */
  name: string;
  /** Written after "nhầm", "sửa lại"…: it replaces what came before it for the row. */
  corrects?: boolean;
  /** A count of children before the row's name ("1 cháu bị ngã"): a group of its own. */
  group?: boolean;
  /** Such a group after "và", "còn", "thêm" ("… và 1 cháu sinh thường"): more children, not the same. */
  joined?: boolean;
  /** After "thêm" ("có thêm 1 cháu bị chó cắn"): more than the row was given before. */
  more?: boolean;
}

interface Reading {
  pairs: Array<[Label, NumberItem]>;
  /** Pairs on a row count fully, pairs on a phrase not understood half: a known row is the likelier owner. */
  score: number;
  /** Mean punctuation strength inside the pairs; Infinity when there is no pair. */
  gap: number;
}

export interface Pairing {
  /** Each row's numbers, with the name each was written under. */
  values: Map<string, Written[]>;
  problems: CountsProblem[];
  /** Rows named with no number tied to them. */
  valueless: Set<string>;
  unknown: Hit[];
  strays: Hit[];
}

/** The sender's text between two offsets, shortened for a chat line. */
export type Quote = (start: number, end: number) => string;

/**
 * Tells the sender that what they wrote from `start` to `end` is about the grown-up named at `who`
 * (with its number, if any).
 */
type TellAdult = (who: number, start: number, end: number, raw?: string) => void;

/** One line per grown-up named: "1 thanh niên 18 tuổi tử vong do tai nạn" is one story, not two. */
function adultTeller(out: Pairing, quote: Quote): TellAdult {
  const told = new Map<number, { problem: Extract<CountsProblem, { kind: 'not_a_child' }>; start: number; end: number }>();
  return (who, start, end, raw) => {
    const seen = told.get(who);
    if (!seen) {
      const problem: Extract<CountsProblem, { kind: 'not_a_child' }> = { kind: 'not_a_child', text: quote(start, end), ...(raw !== undefined && { raw }) };
      told.set(who, { problem, start, end });
      out.problems.push(problem);
      return;
    }
    seen.start = Math.min(seen.start, start);
    seen.end = Math.max(seen.end, end);
    seen.problem.text = quote(seen.start, seen.end);
    if (seen.problem.raw === undefined && raw !== undefined) seen.problem.raw = raw;
  };
}

export function pairItems(items: readonly Item[], quote: Quote): Pairing {
  const { chains, asides } = cutChains(items);
  const readings = chains.map((chain) => ({ chain, row: readAs(chain, 'row_first'), num: readAs(chain, 'number_first') }));
  const votes = { row_first: 0, number_first: 0 };
  const decided = readings.map(({ row, num }) => {
    const way = dominant(row, num);
    if (way) votes[way] += (way === 'row_first' ? row : num).pairs.filter(([label]) => label.key).length;
    return way;
  });
  const out: Pairing = { values: new Map(), problems: [], valueless: new Set(), unknown: asides, strays: [] };
  const tell = adultTeller(out, quote);
  const leave = leaver(items, out, tell);
  const loose: NumberItem[] = [];
  readings.forEach(({ chain, row, num }, i) => {
    const way = decided[i] ?? undecided(chain, row, num, votes);
    if (way === 'unsure') askAbout(chain, out);
    else apply(chain, way === 'row_first' ? row : num, out, tell, leave, loose);
  });
  for (const item of loose) {
    const group = joinedGroup(items, item, leave.written);
    if (group) group.value += item.value as number;
    else out.strays.push({ text: item.raw, index: item.index, withValue: true });
  }
  return out;
}

/**
 * "sinh 1 cháu gái và 1 cháu trai", "có 1 cháu trai và 2 cháu gái sinh ra": a count of children with no
 * row of its own, joined by "và", "còn", "thêm" to a count of children right beside it that has one, is
 * more children of that row; so is one of boys beside one of girls, parted by a comma only ("sinh 1 bé
 * trai, 1 bé gái"): they cannot be the same children. Returns what that row was given, to add to;
 * undefined when the number stands alone ("…, có 1 cháu hay bị bạn bè bắt nạt": which row is asked) or
 * may be the same children told twice ("1 cháu trai, 1 cháu trai").
 */
function joinedGroup(items: readonly Item[], item: NumberItem, written: ReadonlyMap<Item, Written>): Written | undefined {
  const at = items.indexOf(item);
  const [before, after] = [items[at - 1], items[at + 1]];
  const fits = (other: Item | undefined): other is NumberItem =>
    other?.kind === 'number' && other.counted === true && other.other === undefined && written.has(other);
  const others = (a: NumberItem, b: NumberItem): boolean => a.joined === true || (a.sex !== undefined && b.sex !== undefined && a.sex !== b.sex);
  if (item.value === undefined || !item.counted || item.other !== undefined) return undefined;
  if (fits(before) && others(item, before)) return written.get(before);
  return fits(after) && others(after, item) ? written.get(after) : undefined;
}

/**
 * Runs of alternating rows and numbers. Words not understood right before a row, nothing between them
 * ("1 cháu bị bố mẹ bỏ rơi"), describe it: the row takes their place and they are named back as asides.
 */
function cutChains(items: readonly Item[]): { chains: Array<Array<Label | NumberItem>>; asides: Hit[] } {
  const chains: Array<Array<Label | NumberItem>> = [];
  const asides: Hit[] = [];
  let current: Array<Label | NumberItem> = [];
  items.forEach((item, i) => {
    const last = current.at(-1);
    if (item.kind === 'label' && item.key && item.gap === 0 && last?.kind === 'label' && !last.key) {
      // About a grown-up ("1 cháu mất mẹ do tai nạn"), the words are part of what is said back.
      if (item.other !== undefined) item.other = Math.min(item.other, last.other ?? last.start);
      else asides.push({ text: last.text, index: last.index, withValue: false });
      current.pop();
      if (startsPair(current, item, items[i + 1])) {
        chains.push(current);
        current = [];
      }
      current.push(item);
      return;
    }
    if (item.kind === 'break' || last?.kind === item.kind || startsPair(current, item, items[i + 1])) {
      if (current.length) chains.push(current);
      current = [];
    }
    if (item.kind !== 'break') current.push(item);
  });
  if (current.length) chains.push(current);
  return { chains, asides };
}

/**
 * Where a chain must end although rows and numbers still alternate: before "1 cháu" that a row follows
 * right away ("sinh 2, sau đó có 1 cháu tai nạn": the phrase not understood does not take the 1), and
 * before a row named as the cause of a row and number just read ("tử vong 1 cháu vì bệnh …, do tai nạn").
 */
function startsPair(current: ReadonlyArray<Label | NumberItem>, item: Item, next: Item | undefined): boolean {
  const [before, last] = [current.at(-2), current.at(-1)];
  if (item.kind === 'number' && item.counted && last?.kind === 'label' && !last.key) {
    return next?.kind === 'label' && next.key !== undefined && next.gap === 0;
  }
  return item.kind === 'label' && item.cause === true && last?.kind === 'number' && before?.kind === 'label' && before.key !== undefined;
}

function readAs(chain: ReadonlyArray<Label | NumberItem>, way: Way): Reading {
  const pairs: Array<[Label, NumberItem]> = [];
  const first = chain.findIndex((item) => item.kind === (way === 'row_first' ? 'label' : 'number'));
  let gaps = 0;
  for (let p = first; p >= 0 && p + 1 < chain.length; p += 2) {
    const a = chain[p] as Label | NumberItem;
    const b = chain[p + 1] as Label | NumberItem;
    pairs.push(a.kind === 'label' ? [a, b as NumberItem] : [b as Label, a]);
    gaps += b.gap;
  }
  // About a grown-up, a pair is no likelier than a phrase not understood.
  const score = pairs.reduce((sum, [label, number]) => sum + (label.key && !aboutAdult(label, number) ? 1 : 0.5), 0);
  return { pairs, score, gap: pairs.length ? gaps / pairs.length : Number.POSITIVE_INFINITY };
}

/** The reading that is at least as good on both counts and better on one, if there is one. */
function dominant(row: Reading, num: Reading): Way | undefined {
  if (row.score === 0 && num.score === 0) return 'row_first';
  const rowBetter = row.score >= num.score && row.gap <= num.gap;
  const numBetter = num.score >= row.score && num.gap <= row.gap;
  if (rowBetter && !numBetter) return 'row_first';
  if (numBetter && !rowBetter) return 'number_first';
  return undefined;
}

function undecided(chain: ReadonlyArray<Label | NumberItem>, row: Reading, num: Reading, votes: Record<Way, number>): Way | 'unsure' {
  if (votes.row_first !== votes.number_first) return votes.row_first > votes.number_first ? 'row_first' : 'number_first';
  // "tai nạn 1 cháu do ngã": a number between two names of one row is that row's, either way.
  const labels = chain.filter((item): item is Label => item.kind === 'label');
  if (labels.length > 1 && labels.every((l) => l.key !== undefined && l.key === labels[0]?.key)) return 'row_first';
  const tied = row.score === num.score && row.gap === num.gap;
  const rows = [...row.pairs, ...num.pairs].some(([label]) => label.key);
  // A single number between two rows ("sinh 2 tử vong") could be either's: ask.
  return tied && rows && row.pairs.length < 2 ? 'unsure' : 'row_first';
}

function aboutAdult(label: Label, number: NumberItem): boolean {
  return label.other !== undefined || number.other !== undefined;
}

function apply(chain: ReadonlyArray<Label | NumberItem>, reading: Reading, out: Pairing, tell: TellAdult, leave: Leave, loose: NumberItem[]): void {
  const paired = new Set<Item>();
  for (const [label, number] of reading.pairs) {
    paired.add(label).add(number);
    const between = label.index < number.index ? number.gap : label.gap;
    if (aboutAdult(label, number) && number.other === undefined && between > 0) {
      // "cụ bà qua đời, không có cháu nào…": across a comma the number is not the grown-up's.
      paired.delete(number);
      tell(label.other as number, label.other as number, label.end);
    } else if (aboutAdult(label, number)) {
      const who = (label.other ?? number.other) as number;
      tell(who, Math.min(who, number.start, label.start), Math.max(label.end, number.end), number.zero ? undefined : number.raw);
    } else if (!label.key) {
      out.unknown.push({ text: label.text, index: label.index, withValue: true });
      // Said back with its number; what is said of it after a comma ("…, khỏe rồi") goes with it.
      leave.counted.set(label, undefined).set(number, undefined);
    }
    else if (number.problem) out.problems.push({ kind: number.problem, key: label.key, raw: number.raw });
    else {
      const group = number.counted === true && number.index < label.index;
      const written: Written = {
        value: number.value as number, name: label.text, ...(label.corrects && { corrects: true }), ...(group && { group }), ...(group && number.joined && { joined: true }), ...(number.more && { more: true }),
      };
      record(out.values, label.key, written);
      leave.counted.set(label, label.key).set(number, label.key);
      leave.written.set(number, written);
    }
  }
  for (const item of chain) {
    if (paired.has(item)) continue;
    if (item.kind === 'label') leave.label(item);
    else if (item.other !== undefined && !item.zero) tell(item.other, item.other, item.end, item.raw);
    else if (!item.zero) loose.push(item);
  }
}

function askAbout(chain: ReadonlyArray<Label | NumberItem>, out: Pairing): void {
  const keys: string[] = [];
  const raws: string[] = [];
  for (const item of chain) {
    if (item.kind === 'number') raws.push(item.raw);
    else if (item.key) keys.push(item.key);
    else out.unknown.push({ text: item.text, index: item.index, withValue: false });
  }
  out.problems.push({ kind: 'unsure', keys, raws });
}

/**
 * What becomes of a row or phrase left without a number; `counted` holds the items of the rows counted
 * so far, each with the row it told of.
 */
interface Leave {
  counted: Map<Item, string | undefined>;
  /** What each number counted for its row was recorded as. */
  written: Map<Item, Written>;
  label: (label: Label) => void;
}

/**
 * A row with no number is asked for, unless it was about a grown-up: then the sender is told why it is
 * not counted. A phrase not understood is named back, unless it follows a row counted just before with
 * nothing between ("tai nạn 1 xe đạp trầy xước", "1 cháu bị ngã cầu thang", "tử vong 1 do sốt"), or
 * with a comma before a predicate ("…, không phải đi viện"), or follows such words or another name of
 * the row in turn: it says how it happened, and the count already holds it. One that starts with a
 * row's weak name ("sinh 2 mất tích") may be a row meant, and is named back all the same.
 */
function leaver(items: readonly Item[], out: Pairing, tell: TellAdult): Leave {
  const before = new Map(items.map((item, i) => [item, items[i - 1]]));
  const counted = new Map<Item, string | undefined>();
  const describes = (label: Label): boolean => {
    const previous = before.get(label);
    if (previous === undefined || !counted.has(previous) || label.nearRow) return false;
    // "TNTT 1, cháu Nam ngã xe đạp": the row just counted named again after a comma, with no number of its own.
    const again = label.key !== undefined && label.other === undefined && label.gap === 1 && counted.get(previous) === label.key;
    return label.gap === 0 || label.predicate === true || again;
  };
  const label = (item: Label): void => {
    // What goes on telling how it happened ("tai nạn 1 cháu bị ngã | từ trên cây xuống", "ngã xe đạp
    // trầy chân | , không phải đi viện") is told of the same count.
    const told = describes(item);
    if (told) counted.set(item, counted.get(before.get(item) as Item));
    if (item.key && item.other !== undefined) tell(item.other, item.other, item.end);
    else if (item.key) out.valueless.add(item.key);
    else if (!told) out.unknown.push({ text: item.text, index: item.index, withValue: false });
  };
  return { counted, written: new Map(), label };
}

function record(values: Map<string, Written[]>, key: string, written: Written): void {
  const list = values.get(key);
  if (list) list.push(written);
  else values.set(key, [written]);
}

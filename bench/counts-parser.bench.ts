/**
 * Monthly counts parser: first how many of the sample messages (tests/fixtures, the shared samples and
 * the varied phrasings) are read exactly right, then throughput over a mixed corpus: the message shapes
 * village heads send (with and without diacritics, NFD, one line or many, with mistakes), a few long
 * pastes and junk. Every inbound message of a village head goes through the parser, so it should never
 * be the slow part of a handler.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_COUNT_FIELDS } from '../src/domain/counts/fields.js';
import { parseCounts } from '../src/domain/counts/parser.js';
import type { ParseCountsOptions } from '../src/domain/counts/reading.js';

const OPTS: ParseCountsOptions = { now: new Date('2025-11-10T03:00:00Z'), timezone: 'Asia/Ho_Chi_Minh', dueDay: 25 };

const TYPICAL = [
  'bao cao thang 10/2025: sinh 3 tuvong 0 tntt 1 duoinuoc 0 xamhai 0',
  'Báo cáo tháng 10/2025: sinh 2, tử vong 0, tai nạn 1, đuối nước 0, xâm hại 0, bỏ học 1',
  'T9/2025 sinh=4; tntt=2; duoi nuoc=1',
  'sinh: 1\ntử vong: 0\nxâm hại: 1\nbạo lực: 1',
  'BC thang 11 nam 2025 - sinh 0 - tu vong 0 - tntt 0 - duoi nuoc 0 - xam hai 0 - nguy co 2 - hcdb 1',
  'THÔN NÀ CA BÁO CÁO THÁNG 8/2025. SINH 5. TỬ VONG 1. ĐUỐI NƯỚC 1. BỎ HỌC 2. TẢO HÔN 1',
  'thang 7/2025 sinh 2 tntt 0 duoi nuoc: không xam hai: ko',
  'tháng 6 năm 2025: trẻ sinh ra 3, chết 0, bị tai nạn thương tích 2',
  '10/2025 xam hai 2 bao luc 1 bo roi 1 nguy co 3',
  'Kính gửi UBND xã, thôn Bản Lìa gửi số liệu T10: sinh 2 | tử vong 0 | xâm hại tình dục 0 | bỏ học 1. Cảm ơn ạ',
];

const FAULTY = [
  'xamhai 1 baoluc 1 tinhduc 1',
  'sinh -1 tntt 2',
  'sinh ba, tu vong khong',
  'tre3 em sinh 2 xaam haij 1',
  'Tháng 10/2025 sinh 2 ma túy 1 sinh 3 tháng 11',
];

/** The whole form written out, every row, 40 times: a pasted spreadsheet. */
const LONG_PASTE = Array.from({ length: 40 }, (_, i) =>
  `Thôn ${i + 1} T10/2025: sinh ${i}, tử vong 0, tai nạn ${i % 3}, đuối nước 0, xâm hại ${i % 4}, bạo lực ${i % 2}, ` +
  'tình dục 0, bóc lột 0, mua bán 0, bỏ rơi 0, nguy cơ 1, hcđb 0, bỏ học 1, tảo hôn 0',
).join('\n');

const JUNK = ['😀🙏 ok', 'alo alo có ai không', 'x'.repeat(4000), 'Ảnh: '.repeat(300)];

function corpus(): string[] {
  const nfd = [...TYPICAL, ...FAULTY].map((text) => text.normalize('NFD'));
  // Weighted like real traffic: mostly ordinary reports, some mistakes, rare long pastes and junk.
  return [...TYPICAL, ...TYPICAL, ...FAULTY, ...nfd, LONG_PASTE, ...JUNK];
}

interface Sample {
  text: string;
  period: string | null;
  counts: Record<string, number> | null;
  invalid?: string;
  asks?: string[];
}

function samples(name: string): Sample[] {
  return readFileSync(new URL(`../tests/fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Sample);
}

/** Right when the counts, the period named and whether (or which) problems are raised all match. */
function readRight(sample: Sample): boolean {
  const reading = parseCounts(sample.text, DEFAULT_COUNT_FIELDS, OPTS);
  if (sample.counts && JSON.stringify(reading.counts) !== JSON.stringify(sample.counts)) return false;
  if (sample.period && `${reading.period?.year}-${String(reading.period?.month).padStart(2, '0')}` !== sample.period) return false;
  const kinds = reading.problems.map((p) => p.kind);
  if (sample.asks) return JSON.stringify(kinds) === JSON.stringify(sample.asks);
  return sample.invalid || sample.counts === null ? kinds.length > 0 : kinds.length === 0;
}

function share(list: readonly Sample[]): string {
  const right = list.filter(readRight).length;
  return `${((100 * right) / list.length).toFixed(1)}% (${right}/${list.length})`;
}

/** Runs the messages round after round for at least `seconds`; returns messages, chars and seconds taken. */
function measure(messages: readonly string[], seconds: number): { count: number; chars: number; seconds: number } {
  let count = 0;
  let chars = 0;
  let problems = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    for (const text of messages) {
      problems += parseCounts(text, DEFAULT_COUNT_FIELDS, OPTS).problems.length;
      chars += text.length;
    }
    count += messages.length;
  }
  // Using the result keeps the work from being optimised away.
  if (problems < 0) throw new Error('unreachable');
  return { count, chars, seconds: (performance.now() - started) / 1000 };
}

export default async function run(): Promise<Record<string, number | string>> {
  const shared = samples('monthly-counts.jsonl');
  const phrasings = samples('counts-phrasings.jsonl');
  const messages = corpus();
  measure(messages, 0.3); // warm-up: JIT and the per-field-list dictionary
  const mixed = measure(messages, 2.5);
  const typical = measure(TYPICAL, 1);
  const long = measure([LONG_PASTE], 1);
  return {
    'samples read right (monthly-counts.jsonl)': share(shared),
    'phrasings read right (counts-phrasings.jsonl)': share(phrasings),
    'all samples, NFD': share([...shared, ...phrasings].map((s) => ({ ...s, text: s.text.normalize('NFD') }))),
    'corpus messages': messages.length,
    'mixed messages/s': Math.round(mixed.count / mixed.seconds),
    'mixed chars/s': Math.round(mixed.chars / mixed.seconds),
    'typical messages/s': Math.round(typical.count / typical.seconds),
    'typical µs/message': Number(((typical.seconds / typical.count) * 1e6).toFixed(1)),
    [`long paste (${LONG_PASTE.length} chars) messages/s`]: Math.round(long.count / long.seconds),
    'seconds measured': Number((mixed.seconds + typical.seconds + long.seconds).toFixed(1)),
  };
}

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CountFieldConfig } from '../src/config/communes.js';
import { DEFAULT_COUNT_FIELDS, mergeCountFields } from '../src/domain/counts/fields.js';
import { parseCounts, parseCountsIfAny } from '../src/domain/counts/parser.js';
import type { CountsReading, ParseCountsOptions } from '../src/domain/counts/reading.js';
import { describeCounts } from '../src/handlers/counts/texts.js';
import { numberFromWords } from '../src/text/numbers.js';
import { fold, foldRepaired } from '../src/text/vietnamese.js';

const FIELDS = DEFAULT_COUNT_FIELDS;
const KEYS = new Set(FIELDS.map((f) => f.key));
/** 10 November 2025, 10:00 in Vietnam: before the due day, so an unnamed period is October. */
const OPTS: ParseCountsOptions = { now: new Date('2025-11-10T03:00:00Z'), timezone: 'Asia/Ho_Chi_Minh', dueDay: 25 };

const parse = (text: string, opts: Partial<ParseCountsOptions> = {}, fields: readonly CountFieldConfig[] = FIELDS): CountsReading =>
  parseCounts(text, fields, { ...OPTS, ...opts });
const counts = (text: string): Record<string, number> => parse(text).counts;
const kinds = (reading: CountsReading): string[] => reading.problems.map((p) => p.kind);

// ————————————————————————————————————————————————————————— the shared samples

interface Sample {
  text: string;
  period: string | null;
  counts: Record<string, number> | null;
  unknown?: string[];
  invalid?: string;
  note?: string;
}

const readJsonl = <T>(name: string): T[] =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

const samples = readJsonl<Sample>('monthly-counts.jsonl');

interface Phrasing {
  text: string;
  period: string | null;
  counts: Record<string, number>;
  /** The problem kinds the reading must raise, in order; none when absent. */
  asks?: string[];
  unknown?: string[];
}

const phrasings = readJsonl<Phrasing>('counts-phrasings.jsonl');

const periodOf = (period: string): { year: number; month: number; source: 'explicit' } => {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return { year, month, source: 'explicit' };
};

describe('sample messages (tests/fixtures/monthly-counts.jsonl)', () => {
  it('has samples to check', () => {
    expect(samples.length).toBeGreaterThanOrEqual(15);
  });

  it.each(samples.map((s, i) => [i + 1, s] as const))('line %i', (_line, sample) => {
    const reading = parse(sample.text);
    if (sample.period === null) {
      expect(reading.period).toEqual({ year: 2025, month: 10, source: 'inferred', yearGiven: false });
    } else {
      const [year, month] = sample.period.split('-').map(Number);
      expect(reading.period).toMatchObject({ year, month, source: 'explicit' });
    }
    if (sample.counts) expect(reading.counts).toEqual(sample.counts);
    if (sample.invalid || sample.counts === null) expect(reading.problems.length).toBeGreaterThan(0);
    else expect(reading.problems).toEqual([]);
    expect(reading.unknown).toEqual(sample.unknown ?? []);
  });

  it('reads the negative sample as a problem on that row, keeping nothing for it', () => {
    const reading = parse('sinh -1 tntt 2');
    expect(reading.problems).toEqual([{ kind: 'negative', key: 'sinh', raw: '-1' }]);
    expect(reading.counts).not.toHaveProperty('sinh');
  });
});

// ————————————————————————————————————————————————————————— rules

describe('keys', () => {
  const full = { sinh: 1, tuvong: 2, tntt: 3, duoinuoc: 4, xamhai: 5, nguyco: 6, hcdb: 7, bohoc: 8, taohon: 9 };

  it('reads every row with diacritics, without them, and run together', () => {
    const withMarks = 'sinh 1 tử vong 2 tai nạn 3 đuối nước 4 xâm hại 5 nguy cơ 6 HCĐB 7 bỏ học 8 tảo hôn 9';
    const bare = 'sinh 1 tu vong 2 tai nan 3 duoi nuoc 4 xam hai 5 nguy co 6 hcdb 7 bo hoc 8 tao hon 9';
    const glued = 'sinh 1 tuvong 2 tntt 3 duoinuoc 4 xamhai 5 nguyco 6 hcdb 7 bohoc 8 taohon 9';
    for (const text of [withMarks, bare, glued]) expect(counts(text)).toEqual(full);
  });

  it('reads each sub-row of xamhai by its aliases', () => {
    expect(counts('xam hai 9 bao luc 1 tinh duc 2 boc lot 1 mua ban 1 bo roi 1')).toEqual({
      xamhai: 9, baoluc: 1, tinhduc: 2, boclot: 1, muaban: 1, boroi: 1,
    });
    expect(counts('xâm hại 9, xhtd 1, lao động 2, bắt cóc 1, bỏ mặc 1, chết 0, thương tích 2')).toEqual({
      xamhai: 9, tinhduc: 1, boclot: 2, muaban: 1, boroi: 1, tuvong: 0, tntt: 2,
    });
  });

  it('treats NFC, NFD and mixed input alike', () => {
    const text = 'Tháng 10/2025: sinh 2, tử vong 0, đuối nước 1, xâm hại 1, bạo lực 1';
    const nfd = text.normalize('NFD');
    const mixed = text.slice(0, 20) + nfd.slice(20);
    expect(parse(nfd)).toEqual(parse(text));
    expect(parse(mixed)).toEqual(parse(text));
  });

  it('accepts the other tone placement (hoà/hòa style) and upper case', () => {
    expect(counts('TẢO HÔN 1 ĐUỐI NƯỚC 2')).toEqual({ taohon: 1, duoinuoc: 2 });
    expect(counts('xâm hai 1 tu vọng 0')).toEqual({ xamhai: 1, tuvong: 0 });
  });

  it('accepts any order', () => {
    expect(counts('taohon 1 sinh 2 xamhai 0')).toEqual({ taohon: 1, sinh: 2, xamhai: 0 });
  });

  it.each([':', '=', '-', '|', ',', ';', '.', ' ', ' : ', ' = ', ' - ', ' | '])('accepts "%s" between key and number', (sep) => {
    expect(counts(`sinh${sep}3 tu vong${sep}1`)).toEqual({ sinh: 3, tuvong: 1 });
  });

  it.each([', ', '; ', '. ', ' | ', ' - ', '\n', '\r\n', '  '])('accepts "%s" between pairs', (sep) => {
    expect(counts(['sinh 3', 'tu vong 1', 'duoi nuoc 0'].join(sep))).toEqual({ sinh: 3, tuvong: 1, duoinuoc: 0 });
  });

  it('reads one line or many', () => {
    expect(counts('sinh: 1\nTử vong: 0\n\nĐuối nước: 2\n')).toEqual({ sinh: 1, tuvong: 0, duoinuoc: 2 });
  });

  it('lets the longest alias win', () => {
    expect(counts('xâm hại tình dục 1')).toEqual({ tinhduc: 1 });
    expect(counts('xam hai 2 xam hai tinh duc 1')).toEqual({ xamhai: 2, tinhduc: 1 });
    expect(counts('trẻ sinh ra 3')).toEqual({ sinh: 3 });
    expect(counts('tai nạn thương tích 2')).toEqual({ tntt: 2 });
    expect(counts('Trẻ em có nguy cơ bị xâm hại: 2')).toEqual({ nguyco: 2 });
  });

  it('skips "bị", "trẻ em", "trẻ", "số" before a key', () => {
    expect(counts('bị bạo lực 2')).toEqual({ baoluc: 2 });
    expect(counts('trẻ em bị xâm hại 3 trẻ tử vong 1 số trẻ em sinh ra 4 số bỏ học 1')).toEqual({
      xamhai: 3, tuvong: 1, sinh: 4, bohoc: 1,
    });
  });

  it('waits for one number after two names of the same row', () => {
    expect(counts('mua bán, bắt cóc 1')).toEqual({ muaban: 1 });
  });

  it('accepts the labels of the form, as people copy them', () => {
    expect(counts('Trẻ em bị đuối nước: 1\nTrẻ em có HCĐB mới phát sinh: 2')).toEqual({ duoinuoc: 1, hcdb: 2 });
    expect(counts('Trẻ em bị đuối nước: 1\nTrẻ em mới rơi vào hoàn cảnh đặc biệt: 2')).toEqual({ duoinuoc: 1, hcdb: 2 });
  });
});

describe('values', () => {
  it.each(['không', 'khong', 'ko', 'k', 'KHÔNG'])('reads "%s" after a key as zero', (word) => {
    expect(counts(`xâm hại: ${word}, sinh 2`)).toEqual({ xamhai: 0, sinh: 2 });
  });

  it('does not read "không rõ" or "chưa có" as zero', () => {
    const reading = parse('sinh không rõ, xâm hại chưa có');
    expect(reading.counts).toEqual({});
    expect(reading.problems).toEqual([
      { kind: 'no_number', key: 'sinh' },
      { kind: 'no_number', key: 'xamhai' },
    ]);
  });

  it('reads 1.000 and 1,000 as one thousand', () => {
    expect(counts('sinh 1.000 tu vong 1,000 tntt 12.345.678')).toEqual({ sinh: 1000, tuvong: 1000, tntt: 12_345_678 });
  });

  it.each(['2.5', '2,5', '1.00', '1/2', '3-4', '1.000,5'])('reports "%s" as not a whole number', (raw) => {
    const reading = parse(`sinh ${raw}`);
    expect(reading.counts).toEqual({});
    expect(reading.problems).toEqual([{ kind: 'not_whole', key: 'sinh', raw }]);
  });

  it.each([
    ['một', 1], ['hai', 2], ['ba', 3], ['bốn', 4], ['năm', 5], ['sáu', 6], ['bảy', 7], ['tám', 8], ['chín', 9],
    ['mười', 10], ['mười một', 11], ['mười lăm', 15], ['hai mươi', 20], ['hai mươi mốt', 21], ['hai mốt', 21],
    ['ba lăm', 35], ['chín mươi chín', 99],
  ] as const)('reads the number word "%s" as %i, before or after the row', (raw, value) => {
    expect(counts(`sinh ${raw}`)).toEqual({ sinh: value });
    expect(counts(`sinh ${raw} trẻ, tử vong 0`)).toEqual({ sinh: value, tuvong: 0 });
    expect(counts(`${raw} cháu sinh ra, không có cháu nào tử vong`)).toEqual({ sinh: value, tuvong: 0 });
    expect(counts(fold(`${raw} chau sinh ra`))).toEqual({ sinh: value });
  });

  it('reads "tư" as four only where it counts children, and a number word after a number as no count', () => {
    expect(counts('tư cháu bị tai nạn')).toEqual({ tntt: 4 });
    expect(counts('tảo hôn tư')).toEqual({ taohon: 4 });
    expect(counts('sinh 2 cháu nam, tử vong 0')).toEqual({ sinh: 2, tuvong: 0 });
    expect(parse('sinh 2 cháu nam').problems).toEqual([]);
  });

  it('asks for digits when a number in words is too big to read, and reads a stray word as a word', () => {
    expect(parse('sinh một trăm').problems).toEqual([{ kind: 'not_whole', key: 'sinh', raw: 'một trăm' }]);
    expect(parse('bỏ học đi làm 2').problems).toEqual([{ kind: 'no_number', key: 'bohoc' }]);
  });

  it('reads a question or a doubt about a row as no number, never as zero; "không có … nào" is still zero', () => {
    const asked = parse('tháng 10 thôn có cháu nào bị bạo lực không thì em cũng chưa rõ');
    expect(asked.counts).toEqual({});
    expect(asked.problems).toEqual([{ kind: 'no_number', key: 'baoluc' }]);
    expect(parse('không biết có cháu nào bị xâm hại không').counts).toEqual({});
    expect(parse('T10: sinh 2, có em nào bỏ học không em chưa nắm được').counts).toEqual({ sinh: 2 });
    expect(counts('tháng 10 không có cháu nào bị bạo lực')).toEqual({ baoluc: 0 });
    expect(counts('sinh 2, tử vong không')).toEqual({ sinh: 2, tuvong: 0 });
    // Asked and answered: the "không" after the question mark is the answer.
    expect(counts('có cháu nào tử vong không? không')).toEqual({ tuvong: 0 });
  });

  it('never takes the period for a count: "năm" before a year is the year, before children it is five', () => {
    const reading = parse('tháng 10 năm 2026 có 2 cháu sinh ra, không có cháu nào tử vong, 1 cháu bị tai nạn');
    expect(reading.period).toMatchObject({ year: 2026, month: 10, source: 'explicit' });
    expect(reading.counts).toEqual({ sinh: 2, tuvong: 0, tntt: 1 });
    expect(reading.problems).toEqual([]);
    expect(counts('năm cháu sinh ra năm 2025')).toEqual({ sinh: 5 });
    expect(counts('năm nay có 3 cháu bỏ học')).toEqual({ bohoc: 3 });
    for (const text of ['t10 sinh 2', 'tháng 10/2025 sinh 2', 'thang 10 nam 2025 sinh 2', 'tháng mười sinh 2', 'sinh 2 T10']) {
      expect(parse(text).period, text).toMatchObject({ year: 2025, month: 10, source: 'explicit' });
      expect(parse(text).counts, text).toEqual({ sinh: 2 });
    }
  });
});

describe('pairing numbers with rows', () => {
  it.each([
    ['sinh 3 tử vong 0', { sinh: 3, tuvong: 0 }],
    ['3 sinh, 0 tử vong', { sinh: 3, tuvong: 0 }],
    ['3 sinh 0 tử vong', { sinh: 3, tuvong: 0 }],
    ['có 2 cháu sinh ra, 1 cháu tử vong', { sinh: 2, tuvong: 1 }],
    ['sinh, 3 tử vong, 2 tai nạn', { tuvong: 3, tntt: 2 }],
    ['sinh 3, 2 tu vong, 1 tai nan', { sinh: 3, tuvong: 2, tntt: 1 }],
    ['2 cháu sinh ra\n1 cháu tử vong', { sinh: 2, tuvong: 1 }],
    ['sinh 2\ntử vong\ntai nạn 1', { sinh: 2, tntt: 1 }],
    ['không có cháu nào tử vong, sinh 2', { tuvong: 0, sinh: 2 }],
    ['ko co chau nao tu vong, 1 chau bi tai nan', { tuvong: 0, tntt: 1 }],
    ['sinh 2 không có cháu nào tử vong', { sinh: 2, tuvong: 0 }],
    ['tử vong: không có', { tuvong: 0 }],
  ] as const)('reads "%s"', (text, expected) => {
    expect(counts(text)).toEqual(expected);
  });

  it('follows the way the rest of the message is written', () => {
    // "2" could be sinh's or tử vong's; the other rows put the number first, so it is tử vong's.
    expect(counts('1 cháu tai nạn, 3 cháu bỏ học, sinh 2 tử vong')).toEqual({ tntt: 1, bohoc: 3, tuvong: 2 });
    expect(counts('tai nạn 1, bỏ học 3, sinh 2 tử vong')).toEqual({ tntt: 1, bohoc: 3, sinh: 2 });
  });

  it('asks, naming the rows, when a number could belong to either', () => {
    expect(parse('sinh 2 tử vong').problems).toEqual([{ kind: 'unsure', keys: ['sinh', 'tuvong'], raws: ['2'] }]);
    expect(parse('sinh ra 2 cháu tử vong').counts).toEqual({});
    expect(parse('2 sinh 3').problems).toEqual([{ kind: 'unsure', keys: ['sinh'], raws: ['2', '3'] }]);
    const lines = describeCounts(parse('sinh 2 tử vong'), FIELDS);
    expect(lines).toContain('Số 2 là của mục "Trẻ em sinh ra" hay "Trẻ em tử vong"? Xin ghi số ngay sau tên mục, ví dụ: "Trẻ em sinh ra: 2".');
    expect(lines).not.toContain('Trẻ em sinh ra: 2');
  });

  it('blocks a negative or non-whole value, on the row it belongs to, before or after it', () => {
    expect(parse('có -2 cháu sinh ra').problems).toEqual([{ kind: 'negative', key: 'sinh', raw: '-2' }]);
    expect(parse('1,5 cháu tử vong, sinh 1').problems).toEqual([{ kind: 'not_whole', key: 'tuvong', raw: '1,5' }]);
    expect(parse('sinh 2.5').problems).toEqual([{ kind: 'not_whole', key: 'sinh', raw: '2.5' }]);
  });
});

describe('more phrasings (tests/fixtures/counts-phrasings.jsonl)', () => {
  it.each(phrasings.map((s, i) => [i + 1, s] as const))('line %i', (_line, sample) => {
    const reading = parse(sample.text);
    expect(reading.counts).toEqual(sample.counts);
    expect(kinds(reading)).toEqual(sample.asks ?? []);
    expect(reading.unknown).toEqual(sample.unknown ?? []);
    if (sample.period) expect(reading.period).toMatchObject(periodOf(sample.period));
  });


  it('reports negatives, but reads a dash glued after the key as a separator', () => {
    expect(parse('sinh: -2').problems).toEqual([{ kind: 'negative', key: 'sinh', raw: '-2' }]);
    expect(parse('sinh −2').problems).toEqual([{ kind: 'negative', key: 'sinh', raw: '-2' }]);
    expect(parse('sinh:\n-2').problems).toEqual([{ kind: 'negative', key: 'sinh', raw: '-2' }]);
    expect(counts('sinh-2 tu vong - 1')).toEqual({ sinh: 2, tuvong: 1 });
  });

  it('reports a number too large to hold', () => {
    expect(parse('sinh 99999999999999999999').problems).toEqual([{ kind: 'too_large', key: 'sinh', raw: '99999999999999999999' }]);
  });

  it('never reads a digit glued to letters as a count (VNI tone marks)', () => {
    expect(parse('tre3 em sinh 2').counts).toEqual({ sinh: 2 });
    expect(counts('xa6m ha5i 1')).toEqual({ xamhai: 1 });
    const glued = parse('sinh3 tu vong2k');
    expect(glued.counts).toEqual({});
    expect(glued.problems).toContainEqual({ kind: 'no_number', key: 'sinh' });
    expect(glued.unknown).toEqual(['tu vong2k']);
    expect(parse('sinh 2k').unknown).toEqual(['2k']);
  });

  it('reads a row name with two letters swapped or one doubled, and leaves known and short words alone', () => {
    expect(counts('sihn 2, tuvogn 0, duoi nuocc 1')).toEqual({ sinh: 2, tuvong: 0, duoinuoc: 1 });
    // Not one slip away from a row's name: named back, not guessed.
    expect(parse('sjnh 2').unknown).toEqual(['sjnh']);
    expect(parse('shin 2').unknown).toEqual(['shin']);
  });

  it('repairs Telex leftovers', () => {
    expect(counts('xaam haij 1 baoj lucj 1 tuwr vong 0')).toEqual({ xamhai: 1, baoluc: 1, tuvong: 0 });
  });

  it('reports a row named twice with different values, and keeps neither', () => {
    const reading = parse('sinh 2 tu vong 0 sinh 3');
    expect(reading.counts).toEqual({ tuvong: 0 });
    expect(reading.problems).toEqual([{ kind: 'duplicate', key: 'sinh', values: [2, 3] }]);
    expect(parse('sinh 2 sinh 2').counts).toEqual({ sinh: 2 });
  });

  it('reports sub-rows that add up to more than xamhai, with the numbers', () => {
    expect(parse('xam hai 2 bao luc 1 tinh duc 1 bo roi 1').problems).toEqual([
      {
        kind: 'parts_exceed_total',
        key: 'xamhai',
        total: 2,
        parts: [
          { key: 'baoluc', value: 1 },
          { key: 'tinhduc', value: 1 },
          { key: 'boroi', value: 1 },
        ],
        sum: 3,
      },
    ]);
    expect(parse('xam hai 3 bao luc 1 tinh duc 2').problems).toEqual([]);
  });

  it('reports a row without a number, and a number without a row, inventing nothing', () => {
    const reading = parse('sinh, tu vong 1 3');
    expect(reading.counts).toEqual({ tuvong: 1 });
    expect(reading.problems).toEqual([
      { kind: 'stray_number', raw: '3' },
      { kind: 'no_number', key: 'sinh' },
    ]);
  });

  it('lists missing rows in form order, leaving out rows with a problem', () => {
    const reading = parse('sinh 1 tu vong -3 xam hai 0');
    expect(reading.missing).toEqual(['tntt', 'duoinuoc', 'baoluc', 'tinhduc', 'boclot', 'muaban', 'boroi', 'nguyco', 'hcdb', 'bohoc', 'taohon']);
  });
});

describe('how village heads write', () => {
  it.each([
    ['1 cháu bị ngã gãy tay', 1],
    ['2 ca TNGT', 2],
    ['1 chau bi cho can', 1],
    ['co 1 em bi dien giat', 1],
    ['3 trẻ bị bỏng', 3],
    ['1 cháu bị té ngã', 1],
    ['chấn thương: 1', 1],
  ])('reads the kind of injury "%s" as the injury row', (text, n) => {
    expect(parse(text)).toMatchObject({ counts: { tntt: n }, problems: [] });
  });

  it('does not count an age or a school class', () => {
    expect(counts('1 cháu 3 tuổi bị bỏng')).toEqual({ tntt: 1 });
    expect(counts('có 1 cháu 5 tháng tuổi tử vong')).toEqual({ tuvong: 1 });
    expect(counts('1 cháu mười bốn tuổi lấy chồng sớm')).toEqual({ taohon: 1 });
    expect(counts('có 1 cháu lớp 8 bỏ học')).toEqual({ bohoc: 1 });
  });

  it('does not count the numbers of a numbered list, but counts a number that only looks like one', () => {
    expect(parse('1. Sinh: 3\n2. Tử vong: 0\n3) Đuối nước: 0')).toMatchObject({ counts: { sinh: 3, tuvong: 0, duoinuoc: 0 }, problems: [] });
    expect(parse('1/ Sinh: 3; 2/ Tử vong: 0')).toMatchObject({ counts: { sinh: 3, tuvong: 0 }, problems: [] });
    // Item 2 has no count yet: its number is still the list's, not the row's.
    expect(parse('1. sinh 2\n2. tử vong\n3. tai nạn 1')).toMatchObject({ counts: { sinh: 2, tntt: 1 }, problems: [{ kind: 'no_number', key: 'tuvong' }] });
    expect(counts('3 sinh, 0 tử vong')).toEqual({ sinh: 3, tuvong: 0 });
    expect(counts('3-sinh, 0-tử vong')).toEqual({ sinh: 3, tuvong: 0 });
  });

  it('reads a count restated in brackets once, and a breakdown in brackets as part of its row', () => {
    expect(parse('Trẻ em sinh ra: 02 (hai) cháu, tử vong: 0 (không)')).toMatchObject({ counts: { sinh: 2, tuvong: 0 }, problems: [] });
    expect(parse('sinh hai (02) chau')).toMatchObject({ counts: { sinh: 2 }, problems: [] });
    expect(parse('trẻ sinh 4 (2 nam, 2 nữ), tử vong 0')).toMatchObject({ counts: { sinh: 4, tuvong: 0 }, problems: [] });
    expect(parse('tai nạn: 2 cháu (1 cháu ngã, 1 cháu bị chó cắn)')).toMatchObject({ counts: { tntt: 2 }, problems: [] });
    // Parts that do not add up, or that name another row, are asked about.
    expect(kinds(parse('sinh 4 (3 nam, 2 nữ)'))).toEqual(['stray_number', 'stray_number']);
    expect(kinds(parse('sinh 2 (hai) cháu, tử vong 1 (2)'))).toContain('stray_number');
    expect(parse('tai nạn 2 (1 ngã, 1 tử vong)').counts.tntt).toBeUndefined();
    // "trong đó" opens a breakdown too, unless it names sub-rows, which are counts.
    expect(parse('sinh 7, trong đó 4 trai, 3 gái, tử vong 0')).toMatchObject({ counts: { sinh: 7, tuvong: 0 }, problems: [] });
    expect(parse('xâm hại 3, trong đó bạo lực 2, tình dục 1')).toMatchObject({ counts: { xamhai: 3, baoluc: 2, tinhduc: 1 }, problems: [] });
    // What "trong đó" tells of some of them is a part of them; more than all of them is asked.
    expect(parse('sinh 7 trong đó 4 cháu trai')).toMatchObject({ counts: { sinh: 7 }, problems: [] });
    expect(kinds(parse('sinh 7 trong đó 8 cháu trai'))).toEqual(['stray_number']);
  });

  it('reads a number word after a row that has its number in front as a word ("ngộ độc nấm"), not a second count', () => {
    expect(parse('sinh 2 be; 1 be bi ngo doc nam')).toMatchObject({ counts: { sinh: 2, tntt: 1 }, problems: [] });
    expect(counts('3 sinh hai tử vong')).toEqual({ sinh: 3, tuvong: 2 });
    expect(counts('sinh 2 tu vong hai')).toEqual({ sinh: 2, tuvong: 2 });
  });

  it('takes words not understood right before a row as describing it, and names them back', () => {
    const reading = parse('1 cháu bị dượng bỏ rơi');
    expect(reading).toMatchObject({ counts: { boroi: 1 }, problems: [], unknown: ['dượng'] });
  });

  it('asks when a row is given under two names: two children, or one said twice?', () => {
    const reading = parse('tai nạn giao thông 1 cháu, ngã 1 cháu');
    expect(reading.counts).toEqual({});
    expect(reading.problems).toEqual([{ kind: 'duplicate', key: 'tntt', values: [1, 1], names: ['tai nạn giao thông', 'ngã'] }]);
    expect(describeCounts(reading, FIELDS).join('\n')).toContain('Trẻ em bị tai nạn thương tích: ghi ở nhiều chỗ (tai nạn giao thông 1, ngã 1)');
    expect(counts('sinh 2, tử vong 0, sinh 2')).toEqual({ sinh: 2, tuvong: 0 }); // the same name twice: said twice
  });

  it('reads "còn lại không có", "các mục khác: 0" as zero for every row not written, and nothing else as it', () => {
    const all = parse('sinh 2, tử vong 1, còn lại không có');
    expect(all.counts).toMatchObject({ sinh: 2, tuvong: 1, tntt: 0, baoluc: 0, taohon: 0 });
    expect(all.missing).toEqual([]);
    expect(parse('sinh 2 còn lại 0').counts).toMatchObject({ sinh: 2, tuvong: 0 }); // the zero is not sinh's
    // The sub-rows of a total they do not add up to are asked: which of them holds the rest is not known.
    const open = parse('xâm hại 2, bạo lực 1, các mục khác đều không');
    expect(open.counts).toMatchObject({ xamhai: 2, baoluc: 1, sinh: 0 });
    expect(open.missing).toEqual(['tinhduc', 'boclot', 'muaban', 'boroi']);
    expect(parse('xâm hại 1, bạo lực 1, còn lại = 0').counts).toMatchObject({ tinhduc: 0, boroi: 0 });
    expect(parse('sinh 2, còn lại không rõ').counts).toEqual({ sinh: 2 });
    expect(parse('ngoài ra có 1 cháu bị ngã').counts).toEqual({ tntt: 1 });
    // A number tied to no row could be any row's: the rows not written are asked, not zeroed.
    expect(parse('sinh 3, 1 cháu bị chó nhà hàng xóm cắn, còn lại không có gì')).toMatchObject({ counts: { sinh: 3 }, unknown: ['chó nhà hàng xóm cắn'] });
    expect(parse('sinh 3, 7, còn lại không').counts).toEqual({ sinh: 3 });
    // the phrase says the zero itself: "không có gì khác", "không còn gì khác"
    for (const said of ['3 cháu mới sinh, 1 cháu bị ngã gãy tay, không có gì khác', 'sinh 3, tai nạn 1, ko con gi khac']) {
      const rest = parse(said);
      expect(rest.counts, said).toMatchObject({ sinh: 3, tntt: 1, tuvong: 0, duoinuoc: 0, taohon: 0 });
      expect(rest.missing, said).toEqual([]);
    }
  });

  it('ends a village name at a zero word: "thôn không có trẻ nào…"', () => {
    expect(parse('trong thang 10 thon khong co tre nao bi duoi nuoc')).toMatchObject({ counts: { duoinuoc: 0 }, problems: [] });
  });

  it('reads "chẳng có … nào" as zero and "không xảy ra", "phát hiện" as ordinary words', () => {
    expect(parse('chẳng có cháu nào bị tai nạn')).toMatchObject({ counts: { tntt: 0 }, problems: [] });
    expect(parse('không xảy ra trường hợp đuối nước nào, phát hiện 1 trường hợp xâm hại')).toMatchObject({ counts: { duoinuoc: 0, xamhai: 1 }, problems: [], unknown: [] });
  });
});

describe('weak row names: "TV", "ĐN", "mất", initials, road accidents', () => {
  it('reads the initials of a row beside a count, and takes them for ordinary words elsewhere', () => {
    expect(parse('sinh 2 TV 0 ĐN 1')).toMatchObject({ counts: { sinh: 2, tuvong: 0, duoinuoc: 1 }, problems: [], unknown: [] });
    expect(parse('2 cháu TV, 0 DN')).toMatchObject({ counts: { tuvong: 2, duoinuoc: 0 }, problems: [] });
    expect(parse('tv là 0, bh: 1').counts).toEqual({ tuvong: 0, bohoc: 1 });
    // No count beside it and no list of rows: not a row (and not a "no number" question about deaths).
    expect(parse('nhà văn hoá có TV mới')).toMatchObject({ counts: {}, problems: [] });
    expect(parse('DN').unknown).toEqual(['DN']);
    // Alone as an item of a list of rows, it is the row waiting for its number.
    expect(parse('sinh 2, TV, ĐN 0').problems).toEqual([{ kind: 'no_number', key: 'tuvong' }]);
  });

  it('takes initials from the labels of any commune\'s rows, and drops initials two rows share', () => {
    const extra = mergeCountFields(FIELDS, [{ key: 'khuyettat', label: 'Trẻ em khuyết tật', aliases: ['khuyet tat'] }]);
    expect(parse('sinh 1, KT 2', {}, extra).counts).toEqual({ sinh: 1, khuyettat: 2 });
    const both = mergeCountFields(extra, [{ key: 'kiemtra', label: 'Kiểm tra', aliases: ['kiem tra'] }]);
    expect(parse('sinh 1, KT 2', {}, both)).toMatchObject({ counts: { sinh: 1 }, unknown: ['KT'] });
  });

  it('reads "mất" as died only where it means that: not "mất tích", "mất ngủ", "mất điện" or a span of time', () => {
    expect(counts('1 cháu mất')).toEqual({ tuvong: 1 });
    expect(counts('mất 1')).toEqual({ tuvong: 1 });
    expect(counts('mất hai cháu')).toEqual({ tuvong: 2 });
    expect(counts('không có cháu nào mất')).toEqual({ tuvong: 0 });
    expect(parse('mất tích 1')).toMatchObject({ counts: {}, unknown: ['mất tích'] });
    expect(parse('sinh 3, 1 cháu mất ngủ')).toMatchObject({ counts: { sinh: 3 }, unknown: ['mất ngủ'] });
    expect(parse('mất điện, sinh 2')).toMatchObject({ counts: { sinh: 2 }, unknown: ['mất điện'] });
    expect(parse('mất 2 ngày, sinh 1')).toMatchObject({ counts: { sinh: 1 }, unknown: ['mất'] });
    // "mất mẹ" is a child who lost a parent, not a child's death: told why it is not counted.
    expect(parse('1 cháu mất mẹ')).toMatchObject({ counts: {}, problems: [{ kind: 'not_a_child', text: '1 cháu mất mẹ', raw: '1' }], unknown: [] });
  });

  it('reads a weak name followed by why, when or where it happened ("1 cháu mất do sốt")', () => {
    expect(parse('có 1 bé mất do sốt xuất huyết, 2 bé mới sinh')).toMatchObject({ counts: { tuvong: 1, sinh: 2 }, problems: [], unknown: [] });
    expect(parse('1 chau mat khi di tam suoi')).toMatchObject({ counts: { tuvong: 1 }, problems: [] });
    expect(parse('1 cháu ĐN tại hồ')).toMatchObject({ counts: { duoinuoc: 1 }, problems: [] });
    expect(parse('sinh 2 cháu, mất 1 vì bệnh').counts).toEqual({ sinh: 2, tuvong: 1 });
    // The clause does not turn what the weak name is part of into a death, nor a span of time into a count.
    expect(parse('1 cháu mất tích do lạc đường')).toMatchObject({ counts: {}, unknown: ['mất tích do lạc đường'] });
    expect(parse('sinh 1, mất điện do bão').counts).toEqual({ sinh: 1 });
    expect(parse('mất 2 ngày do mưa, sinh 1').counts).toEqual({ sinh: 1 });
    // With the count before both rows it could be either: asked, not guessed.
    expect(parse('sinh 2 mất do bệnh')).toMatchObject({ counts: {}, problems: [{ kind: 'unsure', keys: ['sinh', 'tuvong'] }] });
  });

  it('reads folded "sau" as "after", and as six only where a number stands ("sáu cháu", "sinh sáu")', () => {
    // "mất sau sinh" is a death after birth: never six births; the births are asked for.
    for (const text of ['có 2 cháu mất sau sinh', 'co 2 chau mat sau sinh']) {
      expect(parse(text), text).toMatchObject({ counts: { tuvong: 2 }, problems: [{ kind: 'no_number', key: 'sinh' }] });
    }
    expect(parse('sau sinh 2 cháu').counts).toEqual({ sinh: 2 });
    expect(counts('sáu cháu sinh ra')).toEqual({ sinh: 6 });
    expect(counts('sinh sáu, tử vong không')).toEqual({ sinh: 6, tuvong: 0 });
    expect(counts('tử vong sáu')).toEqual({ tuvong: 6 });
    expect(counts('hai mươi sáu cháu sinh')).toEqual({ sinh: 26 });
  });

  it('reads a vehicle that hit a child as the accident row, in either order', () => {
    for (const text of ['xe tông 1 cháu', '1 cháu bị xe đâm', 'xe cán 1', '1 be bi xe may tong', 'va chạm xe máy 1', '1 cháu bị tông', 'tai nan o to 1']) {
      expect(parse(text), text).toMatchObject({ counts: { tntt: 1 }, problems: [], unknown: [] });
    }
    // "dùng xe" folds like "đụng xe": a verb of that kind counts only after the vehicle.
    expect(parse('dùng xe 1').counts).toEqual({});
  });
});

describe('rows about a grown-up, not a child', () => {
  const told = (text: string): Array<{ text: string; raw?: string }> =>
    parse(text).problems.flatMap((p) => (p.kind === 'not_a_child' ? [{ text: p.text, ...(p.raw !== undefined && { raw: p.raw }) }] : []));

  it('does not count a parent\'s death or accident as the child\'s, and says so with the number', () => {
    expect(parse('1 cháu mất mẹ do tai nạn').counts).toEqual({});
    expect(told('1 cháu mất mẹ do tai nạn')).toEqual([{ text: '1 cháu mất mẹ do tai nạn', raw: '1' }]);
    expect(told('mẹ cháu A mất do tai nạn, sinh 2')).toEqual([{ text: 'mẹ cháu A mất do tai nạn' }]);
    expect(parse('bố của 1 cháu bị tai nạn giao thông, không có cháu nào bị tai nạn').counts).toEqual({ tntt: 0 });
    // Without diacritics "bà" is "ba" (three): a person unless a word for children follows.
    expect(told('cháu ở với bà, bà bị tai nạn')).toEqual([{ text: 'bà bị tai nạn' }]);
    expect(parse('sinh ba cháu').counts).toEqual({ sinh: 3 });
  });

  it('keeps the child\'s count when the grown-up did it to the child, gave birth, or says whose child it is', () => {
    expect(parse('bố mẹ bỏ rơi 1 cháu')).toMatchObject({ counts: { boroi: 1 }, problems: [] });
    expect(parse('1 cháu bị cha dượng xâm hại')).toMatchObject({ counts: { xamhai: 1 }, problems: [] });
    expect(parse('vợ anh T sinh 1 cháu trai')).toMatchObject({ counts: { sinh: 1 }, problems: [] });
    expect(parse('1 cháu nhà ông A bị ngã gãy tay')).toMatchObject({ counts: { tntt: 1 }, problems: [] });
    // A new count of children starts what is said about them.
    expect(parse('bố mẹ đi làm xa 2 cháu bỏ học')).toMatchObject({ counts: { bohoc: 2 }, problems: [] });
  });

  it('reads an age from which a person is not counted in the row as not a child', () => {
    expect(told('1 cháu 17 tuổi bị tai nạn xe máy')).toEqual([{ text: '1 cháu 17 tuổi bị tai nạn xe máy', raw: '1' }]);
    expect(told('tai nạn 1 cháu 16 tuổi')).toEqual([{ text: 'tai nạn 1 cháu 16 tuổi', raw: '1' }]);
    expect(parse('1 cháu 15 tuổi bị ngã').counts).toEqual({ tntt: 1 });
    // A marriage under 18 is a child marriage; from 18 it depends on the sex, so it is asked.
    expect(parse('1 chau 16 tuoi da lay chong').counts).toEqual({ taohon: 1 });
    expect(kinds(parse('1 chau 19 tuoi lay vo'))).toEqual(['not_a_child']);
  });

  it('reads orphaned of both parents as a special circumstance, and one parent lost as asked', () => {
    expect(parse('1 cháu mồ côi cả cha lẫn mẹ')).toMatchObject({ counts: { hcdb: 1 }, problems: [] });
    expect(told('có 1 cháu mồ côi mẹ')).toEqual([{ text: '1 cháu mồ côi mẹ', raw: '1' }]);
  });

  it('asks about a commune\'s extra row named with a grown-up unless the row says a grown-up acts on it', () => {
    const extra = mergeCountFields(DEFAULT_COUNT_FIELDS, [
      { key: 'ngodoc', label: 'Trẻ em ngộ độc thực phẩm', aliases: ['ngộ độc thực phẩm'] },
      { key: 'bangheo', label: 'Trẻ em bị bán sang biên giới', aliases: ['bị bán'], adultActs: true },
    ]);
    expect(kinds(parse('mẹ cháu ngộ độc thực phẩm 1', {}, extra))).toEqual(['not_a_child']);
    expect(parse('mẹ cháu bị bán 1', {}, extra).counts).toEqual({ bangheo: 1 });
  });

  it('says back why it is not counted and how to write it for a child', () => {
    const lines = describeCounts(parse('sinh 2, 1 cháu mất mẹ do tai nạn'), FIELDS);
    expect(lines).toContain(
      '"1 cháu mất mẹ do tai nạn": chuyện của người lớn (bố mẹ, ông bà, người từ 16 tuổi) không tính vào số liệu trẻ em, nên mình chưa ghi số 1. ' +
        'Nếu là trẻ em, xin ghi số ngay sau tên mục; cháu mới mồ côi cả cha lẫn mẹ thì ghi "Trẻ em mới rơi vào hoàn cảnh đặc biệt: 1".',
    );
  });
});

describe('a fresh round of village heads\' wording', () => {
  it('takes a row corrected within the message ("à nhầm", "sửa lại") at its new value, and asks only without one', () => {
    expect(parse('sinh 3, à nhầm, sinh 2 thôi, tử vong 0')).toMatchObject({ counts: { sinh: 2, tuvong: 0 }, problems: [], unknown: [] });
    expect(parse('tai nan 1, sua lai tai nan 2').counts).toEqual({ tntt: 2 });
    expect(parse('sinh 3 nhầm sinh 2').counts).toEqual({ sinh: 2 });
    expect(parse('sinh hai mươi nhăm').counts).toEqual({ sinh: 25 });
    expect(parse('sinh 3, sinh 2').problems).toEqual([{ kind: 'duplicate', key: 'sinh', values: [3, 2] }]);
  });

  it('reads "thg" as tháng, "TN" beside a count as tai nạn, and chatter ("à quên", "thôi") as nothing', () => {
    expect(parse('thg 10 sinh 2 tv 0')).toMatchObject({ period: { month: 10, source: 'explicit' }, counts: { sinh: 2, tuvong: 0 }, unknown: [] });
    expect(parse('thg10/2025 sinh 1').period).toMatchObject({ year: 2025, month: 10 });
    expect(parse('sinh 12, tv 0, tn 1').counts).toEqual({ sinh: 12, tuvong: 0, tntt: 1 });
    expect(parse('sinh 2, TN đi làm xa').counts).toEqual({ sinh: 2 });
    expect(parse('sinh 2, tai nạn 1, à quên bỏ học 1 cháu nữa')).toMatchObject({ counts: { sinh: 2, tntt: 1, bohoc: 1 }, unknown: [] });
  });

  it('reads "mất" right after a grown-up as their death, said back and not counted', () => {
    expect(parse('bố cháu A mất rồi, cháu ở với bà')).toMatchObject({ counts: {}, problems: [{ kind: 'not_a_child', text: 'bố cháu A mất' }] });
    expect(parse('ông nội mất do bệnh, sinh 1')).toMatchObject({ counts: { sinh: 1 }, problems: [{ kind: 'not_a_child', text: 'ông nội mất' }] });
    expect(parse('mẹ cháu mất ngủ').problems).toEqual([]);
  });

  it('gives the zero of "không có … nào" to the last row of a comma list that ends there, not to one that goes on', () => {
    expect(parse('tháng 10 không có trường hợp nào tử vong, đuối nước; sinh 2').counts).toEqual({ tuvong: 0, duoinuoc: 0, sinh: 2 });
    expect(parse('không có cháu nào tử vong, đuối nước 1').counts).toEqual({ tuvong: 0, duoinuoc: 1 });
    expect(parse('không có cháu nào tử vong, đuối nước, sinh 2').problems).toEqual([{ kind: 'no_number', key: 'duoinuoc' }]);
  });
});

describe('words said back only when a row may be meant', () => {
  it('reads "…, không (phải) đi viện", "…, đã khỏi" after a counted row as more about that child, but "không" before a row is still its zero', () => {
    expect(parse('1 cháu bị ngã gãy tay, không đi viện')).toMatchObject({ counts: { tntt: 1 }, problems: [], unknown: [] });
    expect(parse('có 1 cháu bị chó cắn, không phải đi viện, sinh 4 cháu')).toMatchObject({ counts: { tntt: 1, sinh: 4 }, unknown: [] });
    expect(parse('1 cháu bị ngã xe đạp trầy chân, không phải đi viện').unknown).toEqual([]);
    expect(parse('tử vong 1 cháu, đang chờ xác minh nguyên nhân').unknown).toEqual([]);
    expect(parse('sinh 2, không tử vong').counts).toEqual({ sinh: 2, tuvong: 0 });
    // With no count before it the words may be a row meant, and are said back.
    expect(parse('cháu bị ngã gãy tay, đang nằm viện').unknown).toEqual(['đang nằm viện']);
  });

  it('does not say back "sau", "do", "khi", "lúc" (why or when), and reads no number word in what they open', () => {
    expect(parse('1 cháu mất sau sinh 3 ngày')).toMatchObject({ counts: { tuvong: 1 }, unknown: [] });
    expect(parse('trẻ tử vong 1 do tai nạn giao thông').unknown).toEqual([]);
    // "tắm" folds like "tám" (eight): after "khi" it is bathing.
    expect(parse('1 cháu tử vong do đuối nước khi đi tắm ở sông, sinh 4').counts).toEqual({ tuvong: 1, sinh: 4 });
    expect(parse('khi hai cháu đi tắm, 1 cháu đuối nước').counts).toEqual({ duoinuoc: 1 });
  });

  it('takes a name ("cháu H", "nhà ông Tuấn", "chị Năm") and a time ("tuần trước", "hôm qua") for what they are, not a row', () => {
    expect(parse('bà ngoại cháu B mất tuần trước')).toMatchObject({
      counts: {}, unknown: [], problems: [{ kind: 'not_a_child', text: 'bà ngoại cháu B mất' }],
    });
    expect(parse('ông nội cháu H mất hôm qua').problems).toEqual([{ kind: 'not_a_child', text: 'ông nội cháu H mất' }]);
    expect(parse('bé Hai nhà chị Năm bị ngã gãy tay')).toMatchObject({ counts: {}, unknown: [], problems: [{ kind: 'no_number', key: 'tntt' }] });
    expect(parse('sinh 2, 1 chau h bi nga').counts).toEqual({ sinh: 2, tntt: 1 });
    // "k" after a child is still "không" in lowercase chat.
    expect(parse('sinh 2, chau k bi tai nan').counts).toEqual({ sinh: 2, tntt: 0 });
  });

  it('reads words between two names of one row, or after a grown-up, as the telling, and says back what the form may lack ("tự tử")', () => {
    expect(parse('1 cháu ngã cây vải gãy tay')).toMatchObject({ counts: { tntt: 1 }, unknown: [] });
    expect(parse('tai nạn 1 cháu bị ngã từ trên cây xuống').unknown).toEqual([]);
    expect(parse('1 cháu lớp 8 bỏ học, bố mẹ ly hôn')).toMatchObject({ counts: { bohoc: 1 }, unknown: [] });
    expect(parse('sinh 2 tự tử')).toMatchObject({ counts: { sinh: 2 }, unknown: ['tự tử'] });
    expect(parse('1 cháu tự tử').counts).toEqual({});
  });

  it('reads an age in a bracket as describing the child, and a grown-up inside it as part of the telling', () => {
    expect(parse('sinh 3; tử vong: 1 (cháu 2 tháng tuổi, bị sặc sữa)')).toMatchObject({ counts: { sinh: 3, tuvong: 1 }, unknown: [] });
    expect(parse('tai nan 1 ( bị chó nhà hàng xóm cắn ), đuối nước 0')).toMatchObject({ counts: { tntt: 1, duoinuoc: 0 }, unknown: [] });
  });

  it('takes a drop-out named with a span of time ("nghỉ học mấy hôm") for a passing absence, said back, not counted', () => {
    expect(parse('sinh 2, có 1 cháu bị bố đánh phải nghỉ học mấy hôm')).toMatchObject({ counts: { sinh: 2 }, unknown: ['đánh phải nghỉ học mấy hôm'] });
    expect(parse('1 cháu nghỉ học 2 tuần').counts).toEqual({});
    expect(parse('có 2 cháu bỏ học tháng này').counts).toEqual({ bohoc: 2 });
    expect(parse('1 cháu lớp 9 nghỉ học hẳn').counts).toEqual({ bohoc: 1 });
  });

  it('reads "tháng trước" as last month, and asks when the message also names another month', () => {
    expect(parse('tháng vừa rồi có 2 cháu mới sinh').period).toMatchObject({ year: 2025, month: 10, source: 'explicit' });
    expect(parse('số liệu tháng qua: sinh 2, tử vong 0', { now: new Date('2026-01-05T03:00:00Z') }).period).toMatchObject({ year: 2025, month: 12 });
    expect(kinds(parse('tháng 11 có 4 cháu sinh ra, tháng trước có 1 cháu tử vong nhưng em đã báo rồi'))).toEqual(['period_conflict']);
    expect(kinds(parse('tháng 10: sinh 3, tháng trước em gửi thiếu bỏ học 1'))).not.toContain('period_conflict');
  });

  it('gives one zero to a list by commas that ends with "hay"/"hoặc", and reads parts after a colon', () => {
    expect(parse('không có trẻ nào bị tai nạn, đuối nước hay tử vong. Sinh 2.').counts).toEqual({ tntt: 0, duoinuoc: 0, tuvong: 0, sinh: 2 });
    expect(parse('không có trẻ nào tử vong, đuối nước hoặc bị tai nạn').counts).toEqual({ tuvong: 0, duoinuoc: 0, tntt: 0 });
    expect(parse('tai nạn 2 cháu: 1 cháu ngã xe, 1 cháu bị bỏng, đều đã ổn')).toMatchObject({ counts: { tntt: 2 }, problems: [] });
    expect(parse('tai nạn 2 cháu: 1 cháu ngã xe').problems.map((p) => p.kind)).toEqual(['duplicate']);
  });
});

describe('unknown words and noise', () => {
  it('names unknown keys back in the sender spelling', () => {
    expect(parse('sinh 2 ma túy 1, nghiện game: 2').unknown).toEqual(['ma túy', 'nghiện game']);
    expect(parse('sinh 2 ma tu\u0301y 1').unknown).toEqual(['ma túy']);
  });

  it('does not name back how a counted item happened, written right after it, but keeps what may be a row', () => {
    for (const text of ['tai nan 1 xe dap tray xuoc', 'tai nạn 1 (xe đạp trầy xước)', '1 cháu bị ngã cầu thang, sinh 2', 'tử vong 1 (bệnh tim)']) {
      expect(parse(text), text).toMatchObject({ problems: [], unknown: [] });
    }
    expect(parse('tai nan 1 xe dap tray xuoc').counts).toEqual({ tntt: 1 });
    // Across a comma it is not attached; a phrase led by a row's weak name ("mất tích") may be a row.
    expect(parse('tai nạn 1, xe đạp trầy xước').unknown).toEqual(['xe đạp trầy xước']);
    expect(parse('sinh 2 cháu mất tích').unknown).toEqual(['mất tích']);
  });

  it('treats a header before the period as noise', () => {
    for (const text of [
      'THÔN NÀ CA BÁO CÁO THÁNG 8/2025. SINH 5',
      'Kính gửi UBND xã, xóm Đồng Tâm gửi số liệu T8/2025: sinh 5',
      'Nà Ca bc 8/2025 sinh 5',
    ]) {
      const reading = parse(text);
      expect(reading.unknown, text).toEqual([]);
      expect(reading.problems, text).toEqual([]);
      expect(reading.counts, text).toEqual({ sinh: 5 });
    }
  });

  it('treats "báo cáo", "bc", a village marker with its name or number, dates and politeness as noise', () => {
    const reading = parse('Ngày 25/10/2025 thôn 3 gửi báo cáo: sinh 2 tử vong 0. Cảm ơn ạ');
    expect(reading.unknown).toEqual([]);
    expect(reading.problems).toEqual([]);
    expect(reading.counts).toEqual({ sinh: 2, tuvong: 0 });
  });

  it('accepts the commune village names as noise anywhere', () => {
    const text = 'Tân Sinh: sinh 2, tử vong 0';
    expect(parse(text, { villageNames: ['Tân Sinh'] }).counts).toEqual({ sinh: 2, tuvong: 0 });
    expect(parse(text, { villageNames: ['Tân Sinh'] }).problems).toEqual([]);
  });

  it('does not report units after a number as unknown', () => {
    expect(parse('tử vong 1 ca, xâm hại 2 trường hợp, sinh 3 cháu').unknown).toEqual([]);
  });
});

describe('period', () => {
  it.each([
    ['T10 sinh 1', 2025, 10, false],
    ['t9/2025 sinh 1', 2025, 9, true],
    ['thang 10 sinh 1', 2025, 10, false],
    ['10/2025 sinh 1', 2025, 10, true],
    ['10-2025 sinh 1', 2025, 10, true],
    ['tháng 10 năm 2025 sinh 1', 2025, 10, true],
    ['BC thang 11 nam 2025 sinh 1', 2025, 11, true],
    ['tháng 7/2025: sinh 1', 2025, 7, true],
    ['sinh 1 (T9/25)', 2025, 9, true],
  ] as const)('reads "%s"', (text, year, month, yearGiven) => {
    const reading = parse(text);
    expect(reading.period).toEqual({ year, month, source: 'explicit', yearGiven });
    expect(reading.counts).toEqual({ sinh: 1 });
    expect(reading.problems).toEqual([]);
  });

  it('puts a month without a year in the current or last year, never the future', () => {
    expect(parse('T12 sinh 1', { now: new Date('2026-01-05T03:00:00Z') }).period).toMatchObject({ year: 2025, month: 12 });
    expect(parse('T1 sinh 1', { now: new Date('2026-01-28T03:00:00Z') }).period).toMatchObject({ year: 2026, month: 1 });
  });

  it('infers last month up to and including the due day, this month after it', () => {
    const at = (iso: string) => parse('sinh 1', { now: new Date(iso) }).period;
    expect(at('2025-11-25T10:00:00Z')).toEqual({ year: 2025, month: 10, source: 'inferred', yearGiven: false });
    expect(at('2025-11-26T10:00:00Z')).toEqual({ year: 2025, month: 11, source: 'inferred', yearGiven: false });
    expect(at('2026-01-03T10:00:00Z')).toMatchObject({ year: 2025, month: 12 });
    expect(parse('sinh 1', { now: new Date('2025-11-12T10:00:00Z'), dueDay: 10 }).period).toMatchObject({ year: 2025, month: 11 });
  });

  it('uses the commune clock, not UTC', () => {
    // 25 Oct 18:00 UTC is already 26 Oct in Vietnam: past the due day.
    const now = new Date('2025-10-25T18:00:00Z');
    expect(parse('sinh 1', { now }).period).toMatchObject({ year: 2025, month: 10 });
    expect(parse('sinh 1', { now, timezone: 'UTC' }).period).toMatchObject({ year: 2025, month: 9 });
  });

  it('reports an impossible month and conflicting periods', () => {
    const bad = parse('tháng 13 sinh 2');
    expect(bad.problems).toEqual([{ kind: 'bad_period', raw: 'tháng 13' }]);
    expect(bad.period?.source).toBe('inferred');
    const conflict = parse('T10/2025 sinh 2 thang 11/2025');
    expect(conflict.period).toMatchObject({ year: 2025, month: 10, source: 'explicit' });
    expect(conflict.problems).toEqual([
      { kind: 'period_conflict', periods: [{ year: 2025, month: 10 }, { year: 2025, month: 11 }] },
    ]);
    expect(parse('T10 sinh 2, 10/2025').problems).toEqual([]);
  });

  it('does not take a date of writing or a year alone as the period', () => {
    expect(parse('ngày 3/11/2025 sinh 1').period?.source).toBe('inferred');
    expect(parse('năm 2025 sinh 1').period?.source).toBe('inferred');
    expect(parse('năm 2025 sinh 1').problems).toEqual([]);
  });

  it('gives no period, rather than a wrong one, when the clock is unusable', () => {
    expect(parse('sinh 1', { now: new Date(Number.NaN) }).period).toBeNull();
    expect(parse('10/2025 sinh 1', { now: new Date(Number.NaN) }).period).toMatchObject({ year: 2025, month: 10 });
    expect(parse('sinh 1', { timezone: 'Not/AZone' }).period).toMatchObject({ year: 2025, month: 10, source: 'inferred' });
  });
});

describe('commune fields', () => {
  const extra: CountFieldConfig[] = [
    { key: 'khuyettat', label: 'Trẻ em khuyết tật mới phát hiện', aliases: ['khuyết tật', 'kt'] },
    { key: 'bomac', label: '– bị bỏ mặc', aliases: ['bỏ mặc'], partOf: 'xamhai' },
  ];
  const fields = mergeCountFields(DEFAULT_COUNT_FIELDS, extra);

  it('adds extra rows, sub-rows after their total, and lets them win an alias', () => {
    expect(fields.map((f) => f.key).slice(-3)).toEqual(['bohoc', 'taohon', 'khuyettat']);
    expect(fields.findIndex((f) => f.key === 'bomac')).toBe(fields.findIndex((f) => f.key === 'boroi') + 1);
    expect(parse('khuyết tật 2 bỏ mặc 1 bỏ rơi 1 xâm hại 1', {}, fields).counts).toEqual({ khuyettat: 2, bomac: 1, boroi: 1, xamhai: 1 });
    expect(kinds(parse('bỏ mặc 1 bỏ rơi 1 xâm hại 1', {}, fields))).toEqual(['parts_exceed_total']);
  });

  it('replaces a default row with the same key and leaves the defaults untouched', () => {
    const relabelled = mergeCountFields(DEFAULT_COUNT_FIELDS, [{ key: 'sinh', label: 'Số trẻ sinh', aliases: ['so sinh', 'de'] }]);
    expect(relabelled.filter((f) => f.key === 'sinh')).toHaveLength(1);
    expect(parse('de 3', {}, relabelled).counts).toEqual({ sinh: 3 });
    expect(DEFAULT_COUNT_FIELDS[0]?.label).toBe('Trẻ em sinh ra');
  });

  it('has the docs/domain.md §5 rows with their labels and folded aliases', () => {
    expect(DEFAULT_COUNT_FIELDS.map((f) => f.key)).toEqual([
      'sinh', 'tuvong', 'tntt', 'duoinuoc', 'xamhai', 'baoluc', 'tinhduc', 'boclot', 'muaban', 'boroi', 'nguyco', 'hcdb', 'bohoc', 'taohon',
    ]);
    for (const field of DEFAULT_COUNT_FIELDS) {
      for (const alias of field.aliases) expect(foldRepaired(alias)).toBe(alias);
    }
    expect(DEFAULT_COUNT_FIELDS.filter((f) => f.partOf === 'xamhai').map((f) => f.key)).toEqual(['baoluc', 'tinhduc', 'boclot', 'muaban', 'boroi']);
  });
});

describe('describeCounts', () => {
  it('writes the confirmation in plain Vietnamese', () => {
    const reading = parse('Tháng 10/2025 sinh 3 xâm hại 1 bạo lực 1 tinh duc 1 ma túy 1 tử vong một trăm');
    const lines = describeCounts(reading, FIELDS);
    expect(lines[0]).toBe('Kỳ báo cáo: Tháng 10/2025');
    expect(lines).toContain('Trẻ em sinh ra: 3');
    expect(lines).toContain('Trẻ em bị xâm hại (tổng): 1');
    expect(lines).toContain('– bị bạo lực: 1');
    expect(lines).toContain('Phần này mình chưa hiểu nên chưa tính vào mục nào: "ma túy". Nếu đó là số liệu của một mục, anh/chị ghi giúp tên mục và số (ví dụ: "bỏ học 1").');
    expect(lines).toContain('Trẻ em tử vong: "một trăm" không phải số nguyên, xin ghi bằng chữ số (ví dụ: 3).');
    expect(lines).toContain(
      'Trẻ em bị xâm hại (tổng) là 1, nhưng các dòng con cộng lại là 2 (Trẻ em bị bạo lực 1 + Trẻ em bị xâm hại tình dục 1), xin kiểm tra lại.',
    );
    expect(lines.at(-1)).toMatch(/^Chưa có số: Trẻ em bị tai nạn thương tích, .*Trẻ em tảo hôn\.$/);
  });

  it('asks to confirm an inferred period and names every kind of problem', () => {
    const lines = describeCounts(parse('7, sinh -1, sinh 2.5, tntt tu vong 1 tu vong 2 thang 13'), FIELDS);
    expect(lines[0]).toBe('Kỳ báo cáo: Tháng 10/2025 (tin nhắn không ghi tháng, xin xác nhận)');
    expect(lines).toContain('Chưa đọc được số liệu nào.');
    expect(lines).toContain('Trẻ em sinh ra: "-1" là số âm, xin ghi lại (ghi 0 nếu không có).');
    expect(lines).toContain('Trẻ em tử vong: ghi nhiều lần với số khác nhau (1, 2), xin cho biết số đúng.');
    expect(lines).toContain('Trẻ em bị tai nạn thương tích: chưa ghi số.');
    expect(lines.some((l) => l.startsWith('Số "7" không rõ thuộc mục nào.'))).toBe(true);
    expect(lines).toContain('Không hiểu kỳ báo cáo "thang 13", xin ghi rõ tháng (ví dụ: T10/2025).');
    expect(lines.every((line) => !line.includes('undefined'))).toBe(true);
  });

  it('gives a line when no period could be worked out', () => {
    const lines = describeCounts(parse('sinh 1', { now: new Date(Number.NaN) }), FIELDS);
    expect(lines[0]).toBe('Kỳ báo cáo: chưa xác định, xin ghi rõ tháng (ví dụ: T10/2025).');
  });
});

// ————————————————————————————————————————————————————————— properties

/**
 * Numbers written as their own token: ASCII digits (with `.`/`,` groups) touching no letter, mark or
 * other digit. Invisible format characters are dropped first, as the parser does.
 */
function writtenNumbers(text: string): Set<number> {
  const clean = text.normalize('NFC').replace(/\p{Cf}/gu, '');
  const out = new Set<number>();
  for (const m of clean.matchAll(/(?<![\p{L}\p{M}\p{N}])[0-9]+(?:[.,][0-9]+)*(?![\p{L}\p{M}\p{N}])/gu)) {
    out.add(Number(m[0].replace(/[.,]/g, '')));
  }
  return out;
}

const ZERO_WORDS = ['khong', 'ko', 'k', 'kh', 'chang'];

const TELEX_TONES: Record<string, string> = { '\u0301': 's', '\u0300': 'f', '\u0309': 'r', '\u0303': 'x', '\u0323': 'j' };

/** One word as typed with the Vietnamese keyboard off, Telex style: "đuối" → "dduoois", "nước" → "nuwowcs". */
function telexWord(word: string): string {
  let tone = '';
  let out = '';
  for (const ch of word.normalize('NFD')) {
    if (TELEX_TONES[ch]) tone = TELEX_TONES[ch] as string;
    else if (ch === '\u0302') out += out.at(-1) ?? '';
    else if (ch === '\u0306' || ch === '\u031b') out += 'w';
    else if (ch === 'đ' || ch === 'Đ') out += `${ch === 'đ' ? 'd' : 'D'}d`;
    else out += ch;
  }
  return out + tone;
}

/** The same message written another way: NFC, NFD, without diacritics, Telex leftovers (on words of three letters or more), or every other word NFD. */
function writtenForm(text: string, form: 'nfc' | 'nfd' | 'bare' | 'telex' | 'mixed'): string {
  if (form === 'nfc') return text.normalize('NFC');
  if (form === 'nfd') return text.normalize('NFD');
  if (form === 'bare') return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  let n = 0;
  return text.replace(/[\p{L}\p{M}]+/gu, (w) => {
    n += 1;
    if (form === 'mixed' && n % 2 === 0) return w.normalize('NFD');
    return fold(w).length >= 3 ? telexWord(w) : w;
  });
}

/** Every number spelt by one to three consecutive words of the text ("ba", "hai mươi mốt"). */
function spelledNumbers(words: readonly string[]): Set<number> {
  const out = new Set<number>([4]); // "tư" alone, read as four only before a word for children
  for (let i = 0; i < words.length; i += 1) {
    for (let n = 1; n <= 3 && i + n <= words.length; n += 1) {
      const value = numberFromWords(words.slice(i, i + n).join(' '));
      if (value !== undefined) out.add(value);
    }
  }
  return out;
}

function assertHonest(text: string, reading: CountsReading): void {
  expect(kinds(reading)).not.toContain('unreadable');
  const wordList = foldRepaired(text.replace(/\p{Cf}/gu, '')).split(' ');
  const written = new Set([...writtenNumbers(text), ...spelledNumbers(wordList)]);
  const words = new Set(wordList);
  const zeroWritten = ZERO_WORDS.some((w) => words.has(w));
  for (const [key, value] of Object.entries(reading.counts)) {
    expect(KEYS.has(key)).toBe(true);
    expect(Number.isSafeInteger(value) && value >= 0).toBe(true);
    if (!written.has(value)) expect(value === 0 && zeroWritten, `${key}=${value} not in ${JSON.stringify(text)}`).toBe(true);
  }
}

const vocabulary = fc.constantFrom(
  'sinh', 'tử vong', 'tuvong', 'tai nạn', 'tntt', 'đuối nước', 'xâm hại', 'xamhai', 'bạo lực', 'tình dục', 'xâm hại tình dục',
  'bóc lột', 'mua bán', 'bỏ rơi', 'nguy cơ', 'hcđb', 'bỏ học', 'tảo hôn', 'chết', 'trẻ em', 'bị', 'số', 'báo cáo', 'bc',
  'thôn Nà Ca', 'không', 'ko', 'k', 'không rõ', 'T10', 'tháng 10 năm 2025', '10/2025', 'T9/2025', 'ma túy', 'abc', 'ba',
  'tre3', '2k', 'sinh3', '😀', 'năm', '25/10/2025', 'ngã', 'gãy tay', 'tuổi', 'lớp', 'còn lại', '(', ')', '1.', 'chẳng',
);
const numberText = fc.oneof(
  fc.nat({ max: 5000 }).map(String),
  fc.nat({ max: 99 }).map((n) => `${n}.${String(n * 7).padStart(3, '0').slice(-3)}`),
  fc.nat({ max: 99 }).map((n) => `-${n}`),
  fc.nat({ max: 99 }).map((n) => `${n},5`),
);
const separator = fc.constantFrom(' ', ': ', '=', ' - ', '|', ', ', '; ', '. ', '\n', '', ' :', '-');
const messageLike = fc
  .array(fc.tuple(fc.oneof(vocabulary, numberText), separator), { maxLength: 30 })
  .map((parts) => parts.map(([word, sep]) => word + sep).join(''));

describe('properties', () => {
  it('never throws and never invents a count, on arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        assertHonest(text, parse(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws and never invents a count, on message-like strings', () => {
    fc.assert(
      fc.property(messageLike, (text) => {
        assertHonest(text, parse(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('parseCountsIfAny (the check of every answer in a report) reads as parseCounts, or gives nothing for a message parseCounts finds no count in', () => {
    const same = (text: string): void => {
      const full = parse(text);
      const ifAny = parseCountsIfAny(text, FIELDS, OPTS);
      if (ifAny) expect(ifAny, text).toEqual(full);
      else expect(full.counts, text).toEqual({});
    };
    const texts = [...samples, ...phrasings].map((s) => s.text);
    // The samples hold counts; zeroes for the rest alone ('còn lại không có') and a row's name or a number alone do not, or not always.
    for (const text of [...texts, 'còn lại không có', 'các mục còn lại: 0', 'sinh', '2', 'tháng 11', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hom nay']) same(text);
    expect(texts.filter((t) => parseCountsIfAny(t, FIELDS, OPTS) === undefined).length).toBeLessThan(texts.length / 10);
    fc.assert(fc.property(messageLike, same), { numRuns: 2000 });
  });

  it('reads every sample the same in NFC, NFD, without diacritics and typed in Telex', () => {
    const texts = [...samples, ...phrasings].map((s) => s.text);
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.constantFrom('nfc', 'nfd', 'bare', 'telex', 'mixed'), (text, form) => {
        const reading = parse(text);
        const written = writtenForm(text, form);
        expect(parse(written).counts, written).toEqual(reading.counts);
        expect(kinds(parse(written)), written).toEqual(kinds(reading));
      }),
      { numRuns: 600 },
    );
  });

  it('reads NFD as NFC, and text without diacritics to the same counts', () => {
    fc.assert(
      fc.property(messageLike, (text) => {
        const reading = parse(text);
        expect(parse(text.normalize('NFD'))).toEqual(reading);
        const bare = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
        expect(parse(bare).counts).toEqual(reading.counts);
      }),
      { numRuns: 1000 },
    );
  });

  // The bound catches backtracking that grows faster than the text (on a megabyte, quadratic work takes
  // hours); it is loose enough for a machine running other suites (one input took 16 s at load 9).
  it('never throws on long strings and stays fast on huge ones', { timeout: 600_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 5000, maxLength: 20000 }), (text) => {
        assertHonest(text, parse(text));
      }),
      { numRuns: 20 },
    );
    const huge = [
      'xâm hại ma túy 1.000,'.repeat(50_000),
      'thôn '.repeat(200_000),
      '1,'.repeat(400_000),
      '😀\u0301'.repeat(200_000),
      'sinh 2 tử vong 0 '.normalize('NFD').repeat(50_000),
    ];
    for (const text of huge) {
      const started = performance.now();
      const reading = parse(text);
      expect(performance.now() - started).toBeLessThan(60_000);
      assertHonest(text, reading);
      expect(reading.unknown.every((u) => u.length <= 60)).toBe(true);
    }
  });

  it('never throws on values outside the types', () => {
    const weird = [null, undefined, 42, {}, ['sinh 1']] as unknown as string[];
    for (const text of weird) expect(parseCounts(text, FIELDS, OPTS).problems).toEqual([]);
    expect(parseCounts('sinh 1', null as unknown as CountFieldConfig[], OPTS).counts).toEqual({});
    expect(parseCounts('sinh 1', FIELDS, undefined as unknown as ParseCountsOptions).period).toBeNull();
    expect(parseCounts('sinh 1', FIELDS, { now: 'x', timezone: 3, dueDay: 'y' } as unknown as ParseCountsOptions).counts).toEqual({ sinh: 1 });
  });
});

describe('groups of children, measures and "tháng này"', () => {
  it('adds groups of children joined by "và", "còn", "thêm", and asks when only a comma parts them', () => {
    expect(counts('2 cháu sinh thường và 1 cặp sinh đôi')).toEqual({ sinh: 4 });
    expect(counts('1 chau bi nga va 1 chau bi cho can')).toEqual({ tntt: 2 });
    expect(counts('1 cháu bị bỏng, còn có 1 cháu bị ngã')).toEqual({ tntt: 2 });
    // The same row twice with the same number is one value only when it was not two groups of children.
    expect(counts('sinh 2, sinh 2')).toEqual({ sinh: 2 });
    const two = parse('1 cháu ngã xe, 1 cháu ngã cây');
    expect(two.counts).toEqual({});
    expect(two.problems).toEqual([{ kind: 'duplicate', key: 'tntt', values: [1, 1], names: ['ngã', 'ngã'] }]);
    // The births' own number first ("sinh 3 cháu"): twins after it may be a part of them, so it is asked.
    expect(kinds(parse('sinh 3 cháu và 1 cặp sinh đôi'))).toEqual(['duplicate']);
  });

  it('a number of stitches, shots, pills or a floor counts no children', () => {
    expect(parse('tai nan 1 chau nga phai khau 3 mui')).toMatchObject({ counts: { tntt: 1 }, unknown: [], problems: [] });
    expect(parse('1 cháu ngộ độc do uống 2 viên thuốc')).toMatchObject({ counts: { tntt: 1 }, unknown: [], problems: [] });
    expect(parse('1 cháu ngã từ tầng 2')).toMatchObject({ counts: { tntt: 1 }, problems: [] });
  });

  it('"tháng này" is the month the message is sent in, named, also on the last days before the due day', () => {
    expect(parse('tháng này sinh 2').period).toMatchObject({ year: 2025, month: 11, source: 'explicit' });
    expect(parse('thang nay sinh 2', { now: new Date('2026-01-03T03:00:00Z') }).period).toMatchObject({ year: 2026, month: 1, source: 'explicit' });
    expect(parse('tháng này sinh 2, tháng trước sinh 1').problems.map((p) => p.kind)).toContain('period_conflict');
  });
});

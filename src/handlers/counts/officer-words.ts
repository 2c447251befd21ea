/**
 * The monthly-counts commands as commune staff write them in chat: "thôn nào chưa gửi số liệu tháng 11"
 * (/tinhhinh), "tổng hợp số liệu 6 tháng đầu năm 2025" (/tonghop), "xuất báo cáo tháng 11 ra excel" (the
 * totals, and where the workbook is downloaded). Read on folded text; the period is found anywhere in it.
 */
import { parseSpan } from '../../domain/counts/periods.js';
import type { LocalDay } from '../../domain/local-time.js';

export type CountsAsk = 'situation' | 'totals' | 'export';

const SITUATION = [
  /(?:^| )(?:thon|xom|ban|ai|noi)(?: [a-z]+){0,2} (?:da|chua|van chua|con chua) (?:gui|nop)(?: |$)/,
  /(?:^| )(?:cac|may|bao nhieu|nhung) thon (?:[a-z]+ )?(?:gui|nop)(?: |$)/,
  /(?:^| )tinh hinh (?:gui |nop |)(?:so lieu|bao cao)(?: |$)/,
];
const TOTALS = /(?:^| )(?:tong hop|tong so lieu|cong lai so lieu)(?: |$)/;
const EXPORT = /(?:^| )(?:xuat|tai|tai ve|in|lay)(?: [a-z]+){0,3} (?:excel|xlsx|file|phu luc)(?: |$)|(?:^| )xuat (?:bao cao|so lieu)(?: |$)/;
/** Longer messages are stories or notes, not a request for the counts. */
const ASK_WORDS = 14;
/** A period is at most this many words: "6 tháng cuối năm 2025". */
const SPAN_WORDS = 6;

/** What a staff message asks of the counts, if it reads as one of those requests. */
export function countsAsked(folded: string): CountsAsk | undefined {
  if (folded.split(' ').length > ASK_WORDS) return undefined;
  if (EXPORT.test(folded)) return 'export';
  if (TOTALS.test(folded)) return 'totals';
  return SITUATION.some((p) => p.test(folded)) ? 'situation' : undefined;
}

/** The period named in the message ("tháng 11", "T10/2025", "năm 2025"), as the words that name it, or ''. */
export function spanWords(folded: string, today: LocalDay): string {
  const words = folded.split(' ');
  for (let n = Math.min(SPAN_WORDS, words.length); n >= 1; n--) {
    for (let i = 0; i + n <= words.length; i++) {
      const said = words.slice(i, i + n).join(' ');
      if (parseSpan(said, today)) return said;
    }
  }
  return '';
}

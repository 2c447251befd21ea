/** The questions about when it happened and about the child: time, age, sex, danger right now. */
import { foldRepaired, hasPhrase, leadingAnswer } from '../../text/vietnamese.js';
import { numberFromWords } from '../../text/numbers.js';
import { mentionsTime, readStoryFacts, tellsNow } from '../../nlu/story-facts.js';
import type { Step } from '../flow.js';
import type { ReportDraft } from './draft.js';
import { continuesStory, hearStory, keepStoryPart } from './story.js';

export const UNKNOWN = { label: 'Không rõ', value: 'unknown', aliases: ['khong biet', 'ko biet', 'k biet', 'ko ro', 'k ro', 'chua ro'] };
const UNKNOWN_WORDS = new Set(['khong ro', 'khong biet', 'ko biet', 'k biet', 'ko ro', 'k ro', 'chua ro', 'khong ro tuoi', 'khong biet tuoi']);

const NOW = 'Đang xảy ra';
const UNKNOWN_WHEN = 'Không rõ';
/** "Em không nhớ nữa": the person does not know when (checked after any time the text gives). */
const FORGOT = ['khong nho', 'ko nho', 'k nho', 'chua nho', 'quen mat', 'quen roi'];

export const whenStep: Step<ReportDraft> = {
  id: 'when',
  answered: (d) => d.when !== undefined,
  prompt: () => ({
    text: 'Việc này xảy ra khi nào?',
    choices: [
      { label: NOW, value: NOW, aliases: ['bay gio', 'ngay bay gio', 'dang dien ra'] },
      { label: 'Hôm nay', value: 'Hôm nay' },
      { label: 'Mấy ngày trước', value: 'Mấy ngày trước', aliases: ['hom qua', 'tuan nay'] },
      { label: 'Đã lâu', value: 'Đã lâu', aliases: ['lau roi', 'thang truoc'] },
      // A bare "không" to "when?" is "I don't know", not a time.
      { ...UNKNOWN, value: UNKNOWN_WHEN, aliases: [...UNKNOWN.aliases, 'khong', 'ko', 'k'] },
    ],
  }),
  answer: (d, input, ctx) => {
    if (input.choice) {
      d.when = input.choice;
      if (d.when === 'Đang xảy ra') d.inDanger = 'yes';
      return {};
    }
    // The story sent in several messages (or split by the phone) goes on arriving here. A part that
    // tells a time plainly ("tối qua …", hearStory) or tells of now ("nó đang bị nhốt") answers too.
    if (continuesStory(input, ctx)) {
      const kept = keepStoryPart(d, input, ctx, 'when');
      if (tellsNow(input.text)) d.when ??= NOW;
      return kept;
    }
    if (mentionsTime(input.text)) d.when = input.text.slice(0, 200);
    else if (leadingAnswer(input.text) === 'unsure' || FORGOT.some((p) => hasPhrase(input.folded, p))) d.when = UNKNOWN_WHEN;
    else return { error: 'Xin chọn một mục, hoặc gõ lúc nào (ví dụ: tối qua, sáng nay, 20/11).' };
    return {};
  },
};

/**
 * The age as typed: "4", "4 tuổi", "khoảng 10", "8t", "tám tuổi", "3 tháng", "dưới 6". No numbered
 * choices on this step, so a typed number is always the age, never a button's position.
 */
export function readAge(folded: string): { age?: string; adult?: boolean } {
  const t = folded.replace(/^(khoang|tam|chung|co le|hinh nhu|chac)\s+(?!tuoi$)/, '').replace(/[.!]+$/, '').trim();
  if (UNKNOWN_WORDS.has(t)) return { age: 'không rõ tuổi' };
  const months = t.match(/^(\d{1,2})\s*thang( tuoi)?$/);
  if (months) return { age: `${Number(months[1])} tháng tuổi` };
  const under = t.match(/^duoi (\d{1,2})( tuoi)?$/);
  if (under) return { age: `dưới ${Number(under[1])} tuổi` };
  const digits = t.match(/^(\d{1,2})\s*(t|tuoi)?( ruoi)?$/);
  const words = t.replace(/ tuoi$/, '');
  const n = digits ? Number(digits[1]) : numberFromWords(words);
  if (n === undefined) return {};
  if (n >= 18) return { adult: true };
  return { age: `${n} tuổi` };
}

export const ageStep: Step<ReportDraft> = {
  id: 'age',
  answered: (d) => d.childAge !== undefined,
  prompt: () => ({ text: 'Trẻ khoảng bao nhiêu tuổi? Gõ số tuổi (ví dụ: 8), hoặc gõ "không rõ".' }),
  answer: (d, input, ctx) => {
    const typed = readAge(input.folded);
    const repaired = typed.age || typed.adult ? typed : readAge(foldRepaired(input.text));
    // A sentence ("cháu nó tầm 8 tuổi thôi") gives the age as a story would.
    const read = repaired.age || repaired.adult ? repaired : { age: readStoryFacts(input.text).age };
    if (read.adult) {
      return { error: 'Dịch vụ này dành cho trẻ dưới 18 tuổi. Nếu người đó đã 18 tuổi trở lên và đang gặp nguy hiểm, xin gọi 113. Nếu không chắc, gõ "không rõ".' };
    }
    if (!read.age && continuesStory(input, ctx)) return keepStoryPart(d, input, ctx, 'age');
    if (!read.age) return { error: 'Xin gõ số tuổi (ví dụ: 8, hoặc 3 tháng), hoặc gõ "không rõ".' };
    d.childAge = read.age;
    return {};
  },
};

export const sexStep: Step<ReportDraft> = {
  id: 'sex',
  answered: (d) => d.childSex !== undefined,
  prompt: () => ({
    text: 'Trẻ là bé trai hay bé gái?',
    choices: [
      { label: 'Nam', value: 'nam', aliases: ['trai', 'be trai', 'con trai'] },
      { label: 'Nữ', value: 'nu', aliases: ['gai', 'be gai', 'con gai'] },
      { ...UNKNOWN, value: 'khong_ro' },
    ],
  }),
  answer: (d, input, ctx) => {
    // "cháu là con bé", "thằng cu nhà đó": the words for a boy or a girl, as a story would say them.
    const sex = input.choice ?? readStoryFacts(input.text).sex;
    if (!sex && continuesStory(input, ctx)) return keepStoryPart(d, input, ctx, 'sex');
    if (!sex) return { error: 'Xin chọn Nam, Nữ hoặc Không rõ.' };
    d.childSex = sex as ReportDraft['childSex'];
    return {};
  },
};

/** An answer to "in danger now?" this long says more than yes or no. */
const DANGER_STORY_WORDS = 5;

export const dangerStep: Step<ReportDraft> = {
  id: 'danger',
  skip: (d) => d.inDanger === 'yes',
  prompt: () => ({
    text: 'Ngay lúc này trẻ có đang gặp nguy hiểm không?',
    choices: [
      { label: 'Có', value: 'yes' },
      { label: 'Không', value: 'no' },
      { ...UNKNOWN, value: 'unknown' },
    ],
  }),
  answer: (d, input, ctx) => {
    const lead = input.choice ? undefined : leadingAnswer(input.text);
    const yn = input.choice ?? (lead === 'unsure' ? 'unknown' : lead);
    if (!yn && continuesStory(input, ctx)) return keepStoryPart(d, input, ctx, 'danger');
    if (!yn) return { error: 'Xin trả lời Có, Không hoặc Không rõ.' };
    // "có, bố nó vẫn ở nhà với nó": what follows the answer is more of the story.
    if (lead && input.text.split(/\s+/).length >= DANGER_STORY_WORDS) hearStory(d, input.text, ctx.understood);
    d.inDanger = yn as ReportDraft['inDanger'];
    return {};
  },
};

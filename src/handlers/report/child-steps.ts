/** The questions about when it happened and about the child: time, age, sex, danger right now. */
import { foldRepaired, hasPhrase, leadingAnswer, leansYes, noAnswer } from '../../text/vietnamese.js';
import { numberFromWords } from '../../text/numbers.js';
import { mentionsTime, mentionsTimeBesidesNow, readStoryFacts, severalAges, timeAndMore, timeAnswer } from '../../nlu/story-facts.js';
import type { Step, StepInput, StepResult } from '../flow.js';
import type { TurnContext } from '../turn.js';
import { HAPPENING_NOW as NOW, SEX_TOLD, spoken, timeTold, type ReportDraft } from './draft.js';
import type { ChildSex } from '../../store/reports.js';
import { continuesStory, hearStory, keepStoryPart } from './story.js';

export const UNKNOWN = { label: 'Không rõ', value: 'unknown', aliases: ['khong biet', 'ko biet', 'k biet', 'ko ro', 'k ro', 'chua ro'] };
const UNKNOWN_WORDS = new Set(['khong ro', 'khong biet', 'ko biet', 'k biet', 'ko ro', 'k ro', 'chua ro', 'khong ro tuoi', 'khong biet tuoi', 'khong', 'ko', 'k']);

/** Short answers that say a boy or a girl ("trai", "bé gái"). */
const SEX_WORDS = { nam: ['trai', 'be trai', 'con trai', 'chau trai'], nu: ['gai', 'be gai', 'con gai', 'chau gai'] };

/** An age typed with its unit ("8 tuổi", "8t", "3 tháng tuổi"): at another question it can only be the age. */
const SAYS_YEARS = /(^|\s)(\d{1,2}t|tuoi)(\s|$)/;
function toldAge(input: StepInput): string | undefined {
  if (!SAYS_YEARS.test(input.folded)) return undefined;
  return readAge(input.folded).age ?? ageWithin(input.folded);
}

/**
 * The age inside a short answer, among words of its own ("nó chỉ tầm 7 8 tuổi thôi", "tầm 10 11 tuổi
 * mấy đứa", "con bé nhà đó mới 5t"): the longest run of words ending in "tuổi" (or "5t") that reads as
 * an age. Only a run that says years counts ("học lớp 7" is no age).
 */
const AGE_ANSWER_WORDS = 9;
function ageWithin(folded: string): string | undefined {
  const t = folded.split(/\s+/);
  if (t.length > AGE_ANSWER_WORDS) return undefined;
  for (let end = t.length; end > 0; end--) {
    if (!SAYS_YEARS.test(t[end - 1] as string)) continue;
    for (let start = 0; start < end; start++) {
      const read = readAge(t.slice(start, end).join(' '));
      if (read.age) return read.age;
    }
  }
  return undefined;
}

/**
 * A short answer to "a boy or a girl?" by its words: "gái, 5 tuổi", "trai ạ", and both for several
 * children ("1 trai 1 gái", "cả nam lẫn nữ"). Longer, it may name who did the harm ("con trai nhà ông
 * Tư đánh cháu gái"), and is read as a story would be. Typed at another question ("2 đứa con trai" at
 * "how old?") only "trai" and "gái" count, and in fewer words: there "nam" is as likely "năm ngoái".
 */
const SEX_ANSWER_WORDS = 6;
const SEX_ELSEWHERE_WORDS = 4;
function shortSexAnswer(input: StepInput, atItsQuestion: boolean): ChildSex | undefined {
  if (sexNotKnown(input.folded)) return 'khong_ro';
  const t = input.folded.split(/\s+/);
  if (t.length > (atItsQuestion ? SEX_ANSWER_WORDS : SEX_ELSEWHERE_WORDS)) return undefined;
  // Folded "nam" is also "năm" (five: "năm tuổi").
  const boy = t.some((w, i) => w === 'trai' || (atItsQuestion && w === 'nam' && t[i + 1] !== 'tuoi' && t[i + 1] !== 'thang'));
  // "nữ" typed with its mark is a girl at any question; folded, "nu" may be another word.
  const marked = input.text.normalize('NFC').toLowerCase().split(/[\s,.]+/);
  const girl = t.some((w) => w === 'gai' || (atItsQuestion && w === 'nu')) || marked.includes('nữ');
  return boy && girl ? 'ca_hai' : boy ? 'nam' : girl ? 'nu' : undefined;
}

/**
 * "con trai hay con gái e k rõ", "ko biết trai hay gái", "nam hay nữ chưa rõ": the person does not know the
 * child's sex, said by the question itself with a word of not knowing, at any question (at "when?" it
 * was taken for neither and "chọn một mục" was said).
 */
const BOY_OR_GIRL = /(?:^| )(?:(?:con|be|chau|thang|dua) )?(?:trai|nam) (?:hay|hoac|hay la|hoac la) (?:(?:con|be|chau|dua) )?(?:gai|nu)(?: |$)/;
const NOT_KNOWN = /(?:^| )(?:(?:khong|ko|k|kg|kh|chua|hong) (?:ro|biet|bik|bit|nho|chac|thay ro)|chiu|ai biet)(?: |$)/;
const SEX_NOT_KNOWN_WORDS = 10;
function sexNotKnown(folded: string): boolean {
  return folded.split(/\s+/).length <= SEX_NOT_KNOWN_WORDS && BOY_OR_GIRL.test(folded) && NOT_KNOWN.test(folded);
}

/** A time typed at another question is an answer to "when?" only this short ("tối qua", "khoảng 3 giờ chiều"). */
const TIME_ANSWER_WORDS = 5;
/** More of the story typed at "when?" that says when answers it up to this long ("nó đi từ tuần trước, 3 hôm nay không gọi được"). */
const TIME_PART_WORDS = 12;

/**
 * A short answer that belongs to another of the child's questions ("8 tuổi" typed at "when?", "bé
 * gái" at "how old?", "tối qua" at "how old?", "con gái" at "which village?", "hôm kia" at "which
 * category?"): kept for that question,
 * which is then not asked, and this one is asked again. Only the question's own unit or words count, so
 * "hôm qua" is never taken for an age.
 */
export function answersAnother(d: ReportDraft, input: StepInput, ctx: TurnContext, step: 'category' | 'village' | 'when' | 'age' | 'sex' | 'confirm'): StepResult | undefined {
  if (input.choice) return undefined;
  const kept = otherAnswers(d, input, step);
  if (!kept.length) return undefined;
  ctx.reply(`Mình đã ghi: ${kept.join(', ')}.`);
  return { next: step };
}

/**
 * Keeps each answer to another question the message gives ("hôm qua, bé 6 tuổi": the time and the age)
 * and says what was kept; none when it gives none. A time with more words than a time's ("tuần sau là
 * cưới rồi") is more of the story, not the answer to "when?", except at the summary, where the words put
 * a line right.
 */
export function otherAnswers(d: ReportDraft, input: StepInput, step: string): string[] {
  const age = step === 'age' ? undefined : toldAge(input);
  const sex = step === 'sex' ? undefined : shortSexAnswer(input, false);
  const short = input.text.split(/\s+/).length <= TIME_ANSWER_WORDS;
  const timed = step !== 'when' && (step === 'confirm' || !timeAndMore(input.text)) && mentionsTimeBesidesNow(input.text);
  // Said with an age or a sex, only a time of the list is read out of the words.
  const time = !timed ? undefined : age || sex ? readStoryFacts(input.text).when : short ? (timeAnswer(input.text) ?? input.text.slice(0, 200)) : undefined;
  const kept: string[] = [];
  if (age) kept.push(`trẻ ${(d.childAge = age)}`);
  if (sex) kept.push(SEX_TOLD[(d.childSex = sex)]);
  if (time) kept.push(timeTold((d.when = time)));
  return kept;
}

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
      // A time typed in words ("hôm qua", "tuần này") is kept as said, not rounded to a button.
      { label: 'Mấy ngày trước', value: 'Mấy ngày trước' },
      { label: 'Đã lâu', value: 'Đã lâu', aliases: ['lau roi'] },
      // A bare "không" to "when?" is "I don't know", not a time.
      { ...UNKNOWN, value: UNKNOWN_WHEN, aliases: [...UNKNOWN.aliases, 'khong', 'ko', 'k'] },
    ],
  }),
  answer: (d, input, ctx) => {
    if (input.choice) {
      d.when = input.choice;
      if (d.when === NOW) d.inDanger = 'yes';
      return {};
    }
    // An age or a sex typed here ("tầm 6 7 tuổi", "con trai") is for its own question; told with a time
    // ("hôm qua, bé 8 tuổi") both are answered (the time was lost and asked again).
    const another = answersAnother(d, input, ctx, 'when');
    const toldWhen = another && readStoryFacts(input.text).when;
    if (toldWhen) d.when = toldWhen;
    if (another) return toldWhen ? {} : another;
    // The story sent in several messages (or split by the phone) goes on arriving here. A part that
    // tells a time plainly ("tối qua …", hearStory) or tells of now ("nó đang bị nhốt") answers too, and
    // so, typed at this question, does a short part whose time is not one date ("ngày nào cũng đánh, hôm
    // qua là nặng nhất"): it is kept in the person's words. A long one is the story going on.
    if (continuesStory(input, ctx)) {
      // Told as going on now, the part already answered (hearStory).
      const kept = keepStoryPart(d, input, ctx, 'when');
      if (input.text.split(/\s+/).length <= TIME_PART_WORDS && mentionsTime(input.text)) d.when ??= input.text.slice(0, 200);
      return kept;
    }
    // "tuaan nay", "tuan nay": a time of the list is written properly; any other is kept as typed.
    if (mentionsTime(input.text)) d.when = timeAnswer(input.text) ?? input.text.slice(0, 200);
    else if (noAnswer(input.text) || leadingAnswer(input.text) === 'unsure' || FORGOT.some((p) => hasPhrase(input.folded, p))) d.when = UNKNOWN_WHEN;
    else return { error: 'Xin chọn một mục, hoặc gõ lúc nào (ví dụ: tối qua, sáng nay, 20/11).' };
    return {};
  },
};

/** The age kept when the person does not know it. */
export const UNKNOWN_AGE = 'không rõ tuổi';

/** Words a short answer trails off with ("8 tuổi thôi", "tầm 5 6 tuổi gì đó"): they change nothing. */
const TRAILING = /( (gi do|gi day|thoi|a|ha|roi|day|nhe|nha|thi phai|chac vay|khong chac))+$/;

/** One age written as digits or a number word ("6", "sáu"); 0 is no age. */
function oneNumber(words: string): number | undefined {
  const n = /^\d{1,2}$/.test(words) ? Number(words) : numberFromWords(words);
  return n === undefined || n <= 0 ? undefined : n;
}

/**
 * The age as typed: "4", "4 tuổi", "khoảng 10", "8t", "tám tuổi", "lên 7", "3 tháng", "dưới 6", "5 6 tuổi" or
 * "5-6 tuổi" (a range: "khoảng 5–6 tuổi"). No numbered choices on this step, so a typed number is
 * always the age, never a button's position; a bare "không" to "how old?" is "I don't know", as it is
 * to "when?".
 */
export function readAge(folded: string): { age?: string; adult?: boolean } {
  const t = folded
    .replace(/^(khoang|tam|chung|co le|hinh nhu|chac)\s+(?!tuoi$)/, '')
    // "lên 7", "mới lên 3": the age just reached.
    .replace(/^(?:(?:moi|vua|da) )?len (?=\S)/, '')
    .replace(/[.!]+$/, '')
    .replace(TRAILING, '')
    .trim();
  // "thôi khỏi", "bỏ qua": the age is not given, as "không rõ" says.
  if (UNKNOWN_WORDS.has(t) || noAnswer(t)) return { age: UNKNOWN_AGE };
  const months = t.match(/^(\d{1,2})\s*thang( tuoi)?$/);
  if (months) return { age: `${Number(months[1])} tháng tuổi` };
  const under = t.match(/^duoi (\d{1,2})( tuoi)?$/);
  if (under) return { age: `dưới ${Number(under[1])} tuổi` };
  const digits = t.match(/^(\d{1,2})\s*(t|tuoi)?( ruoi)?$/);
  const words = t.replace(/ tuoi$/, '');
  const n = digits ? oneNumber(digits[1] as string) : oneNumber(words);
  if (n === undefined) return readRange(words);
  if (n >= 18) return { adult: true };
  return { age: `${n} tuổi` };
}

/** "5 6", "5 đến 6", "năm hoặc sáu" (tuổi already cut): about that many years, when both are a child's. */
function readRange(words: string): { age?: string; adult?: boolean } {
  const range = words.match(/^(\S+) (?:(?:den|toi|hoac|hay) )?(\S+)$/);
  const [from, to] = [oneNumber(range?.[1] ?? ''), oneNumber(range?.[2] ?? '')];
  if (from === undefined || to === undefined || to <= from) return {};
  if (from >= 18) return { adult: true };
  return to < 18 ? { age: `khoảng ${from}–${to} tuổi` } : {};
}

export const ageStep: Step<ReportDraft> = {
  id: 'age',
  answered: (d) => d.childAge !== undefined,
  prompt: (d) => ({ text: spoken(d, 'Trẻ khoảng bao nhiêu tuổi? Gõ số tuổi (ví dụ: 8), hoặc gõ "không rõ".', 'Em bao nhiêu tuổi? Gõ số tuổi (ví dụ: 12).') }),
  answer: (d, input, ctx) => {
    const typed = readAge(input.folded);
    const repaired = typed.age || typed.adult ? typed : readAge(foldRepaired(input.text));
    // A sentence ("cháu nó tầm 8 tuổi thôi") gives the age as a story would.
    // "nó chỉ tầm 7 8 tuổi thôi": a range after words of its own, which a story does not read as one age.
    const read = repaired.age || repaired.adult ? repaired : { age: readStoryFacts(input.text).age ?? severalAges(input.text) ?? ageWithin(input.folded) };
    if (read.adult) {
      return { error: 'Dịch vụ này dành cho trẻ dưới 18 tuổi. Nếu người đó đã 18 tuổi trở lên và đang gặp nguy hiểm, xin gọi 113. Nếu không chắc, gõ "không rõ".' };
    }
    const story = continuesStory(input, ctx);
    if (!read.age && story) return keepStoryPart(d, input, ctx, 'age');
    const another = read.age ? undefined : answersAnother(d, input, ctx, 'age');
    if (another) return another;
    // "ko biết, chắc ko", "không rõ lắm, nhìn còn nhỏ": not known, as "không rõ" says.
    if (!read.age && leadingAnswer(input.text) === 'unsure') read.age = UNKNOWN_AGE;
    if (!read.age) return { error: 'Xin gõ số tuổi (ví dụ: 8, hoặc 3 tháng), hoặc gõ "không rõ".' };
    // "mẹ nó đi làm xa, con bé khoảng 9 tuổi": the age, and more of the story, kept too.
    if (read !== repaired && story) keepStoryPart(d, input, ctx, 'age');
    d.childAge = read.age;
    // "8 tuổi, bé trai": the sex told with the age answers its question too.
    if (read !== repaired) d.childSex ??= readStoryFacts(input.text).sex;
    return {};
  },
};

export const sexStep: Step<ReportDraft> = {
  id: 'sex',
  answered: (d) => d.childSex !== undefined,
  prompt: (d) => ({
    text: spoken(d, 'Trẻ là bé trai hay bé gái?', 'Em là bạn nam hay bạn nữ?'),
    choices: [
      { label: 'Nam', value: 'nam', aliases: SEX_WORDS.nam },
      { label: 'Nữ', value: 'nu', aliases: SEX_WORDS.nu },
      // A bare "không" to "a boy or a girl?" is "I don't know", as it is to "when?".
      { ...UNKNOWN, value: 'khong_ro', aliases: [...UNKNOWN.aliases, 'khong', 'ko', 'k'] },
    ],
  }),
  answer: (d, input, ctx) => {
    // "cháu là con bé", "thằng cu nhà đó": the words for a boy or a girl, as a story would say them.
    const sex = input.choice ?? (noAnswer(input.text) ? 'khong_ro' : undefined) ?? shortSexAnswer(input, true) ?? readStoryFacts(input.text).sex;
    if (!sex && continuesStory(input, ctx)) return keepStoryPart(d, input, ctx, 'sex');
    const another = sex ? undefined : answersAnother(d, input, ctx, 'sex');
    if (another) return another;
    // "e đang ở nhà bạn": no answer, but news the officer needs; kept, and the question asked again.
    if (!sex && tellsTheMoment(input.text)) return keepStoryPart(d, input, ctx, 'sex');
    if (!sex) return { error: 'Xin chọn Nam, Nữ hoặc Không rõ.' };
    d.childSex = sex as ReportDraft['childSex'];
    return {};
  },
};

/** An answer to "in danger now?" this long says more than yes or no. */
const DANGER_STORY_WORDS = 5;

/**
 * "bố đang ngủ", "nó đang ở với bà": no yes or no, but what the moment is like, which the officer needs
 * more than the button; kept with the story, and the question asked again. A question back has a "?"
 * (questions about the service are answered before the step reads the text).
 */
function tellsTheMoment(text: string): boolean {
  const words = foldRepaired(text);
  return !text.includes('?') && !ASKS_BACK.test(words) && words.split(' ').length >= 3;
}
/** "nguy hiểm là sao", "ý là gì": a question back typed without its "?". */
const ASKS_BACK = /(?:^| )(?:sao|gi|nao|ntn|nghia la)(?: (?:a|ha|vay|co|nhi|the))*$/;

export const dangerStep: Step<ReportDraft> = {
  id: 'danger',
  skip: (d) => d.inDanger === 'yes',
  prompt: (d) => ({
    text: spoken(d, 'Ngay lúc này trẻ có đang gặp nguy hiểm không?', 'Ngay lúc này em có đang gặp nguy hiểm không?'),
    choices: [
      { label: 'Có', value: 'yes' },
      { label: 'Không', value: 'no' },
      { ...UNKNOWN, value: 'unknown' },
    ],
  }),
  answer: (d, input, ctx) => {
    // "thôi khỏi", "không cần đâu": no answer, so not known, and nothing of the story ("không cần" opens with a no).
    const none = !input.choice && noAnswer(input.text) !== undefined;
    // "chắc là có", "em nghĩ là có": a yes with a doubt is a yes here, as uncertainty rounds urgency up.
    const lead = input.choice || none ? undefined : leansYes(input.text) ? 'yes' : leadingAnswer(input.text);
    const yn = input.choice ?? (none || lead === 'unsure' ? 'unknown' : lead);
    if (!yn && (continuesStory(input, ctx) || tellsTheMoment(input.text))) {
      const kept = keepStoryPart(d, input, ctx, 'danger');
      // Its "đang" ("bố nó đang ngủ") is no yes, and the question is asked again; harm told as going on
      // ("nó đang bị đánh") is, by its severity cue.
      if (!ctx.understood.cues.length) d.inDanger = undefined;
      return kept;
    }
    if (!yn) return { error: spoken(d, 'Xin trả lời Có, Không hoặc Không rõ.', 'Em trả lời Có, Không hoặc Không rõ nhé.') };
    // "có, bố nó vẫn ở nhà với nó": what follows the answer is more of the story.
    if (lead && input.text.split(/\s+/).length >= DANGER_STORY_WORDS) hearStory(d, input.text, ctx.understood);
    d.inDanger = yn as ReportDraft['inDanger'];
    return {};
  },
};

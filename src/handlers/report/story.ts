/**
 * The person's own account of what happened: kept whole however it arrives (the first message, several
 * messages, a long text split by the phone), read by the classifier once per text, and used to offer the
 * likely categories when it does not make one clear.
 */
import { CATEGORIES, type CategoryKey } from '../../domain/categories.js';
import { raise } from '../../domain/urgency.js';
import { matchVillage, placeTyped } from '../../domain/villages.js';
import { classify, type Classification } from '../../nlu/classifier.js';
import { readStoryFacts, tellsNow, timeAndMore } from '../../nlu/story-facts.js';
import { tellsOwnStory } from '../../nlu/self-report.js';
import { tokens } from '../../nlu/normalise.js';
import type { ChoiceWithAliases } from '../../messaging/choices.js';
import { noAnswer } from '../../text/vietnamese.js';
import { hasLicencePlate } from '../../domain/refcode.js';
import { opensAddition } from '../../nlu/addition-opening.js';
import type { Step, StepInput } from '../flow.js';
import type { TurnContext } from '../turn.js';
import { communeOf, HAPPENING_NOW, SEX_TOLD, spoken, timeTold, type ReportDraft } from './draft.js';

/** Shorter than this is not a description ("ok", "ừ"). */
export const MIN_DESCRIPTION = 5;
/** A joined description stays readable for an officer; more than this is cut. */
const MAX_DESCRIPTION = 8000;
/** Fewer words than this are an answer, not more of the story, unless a severity cue fires. */
const FRAGMENT_WORDS = 3;
/** Fewer words than this tell more of the story only when they read clearly as a concern. */
const SHORT_WORDS = 6;
const SHORT_CONCERN = 0.9;
/**
 * Fewer words than this, with no severity cue and no category clear, name no harm (`vagueOpening`): in the
 * corpus and the fresh sets every concern line this short has a cue or a clear category (2026-12-04).
 */
const VAGUE_WORDS = 8;
/** A message this long that answers none of the step's choices is the story going on. */
const STORY_WORDS = 12;

/**
 * A category is pre-selected only when it has this share of the concern or more; otherwise the likely
 * ones are offered. Chosen on 5-fold cross-validation (docs/classifier.md, 2026-12-03, 1,611 concern
 * lines): 0.7 pre-selects 52.9 % of concern messages, 99.3 % of them rightly; 0.75 pre-selected 46.9 %
 * (99.5 %), and offered three choices for plain stories such as "bé gái bị bố dượng đánh bầm tím"
 * (violence 0.74); 0.65 pre-selects 59.7 % (98.5 %), but on the held-out split through the handler the
 * right category is then pre-selected or offered for 97.3 % of concerns, against 97.8 % at 0.7 and
 * 98.2 % at 0.75. A wrong pre-selection is seen in the summary and lowers no urgency (every category
 * with 30 % of the concern counts).
 */
const PRESELECT = 0.7;

const ALL_CATEGORIES = 'category:all';

/**
 * What a typed message that is no category gets ("em sợ lắm", "không biết chọn cái nào"): not an order
 * but a reassurance, since the officer reads the story whatever is picked.
 */
const NOT_A_CATEGORY = {
  adult: 'Không sao, bạn không cần chọn thật đúng: cán bộ xã sẽ đọc kỹ lời kể của bạn. Xin chọn một mục gần đúng nhất, hoặc "Việc khác" nếu không chắc.',
  child: 'Không sao, em không cần chọn thật đúng: cán bộ xã sẽ đọc kỹ lời em kể. Em chọn một mục gần đúng nhất, hoặc "Việc khác" nếu không chắc.',
};

/**
 * Raises the draft's urgency for one more text of the story: by each of the text's own severity cues at
 * that cue's level (a child used for theft is P1, blood P0), and by the reading of the whole story with
 * it; never lowers it. The model's rounding up is for a situation told; a fragment read alone ("khoảng 9
 * tuổi", "mẹ nó đi làm xa") tells too little and comes out P0 by uncertainty alone.
 */
export function raiseForPart(d: ReportDraft, read: Classification, whole: Classification): void {
  const byCues = read.cues.reduce((u, c) => raise(u, c.level), d.textUrgency ?? 'P3');
  d.textUrgency = raise(byCues, whole.urgency);
  // The cues behind that level, kept to tell the officers why (the whole story's count only as a concern).
  const fired = [...read.cues, ...(whole.isConcern ? whole.cues : [])];
  for (const c of fired) if (!d.cues?.some((k) => k.id === c.id)) (d.cues ??= []).push({ id: c.id, level: c.level, ...(c.kind && { kind: c.kind }) });
}

/**
 * Adds one text to the description and raises the draft's urgency for it. `read` is the classification
 * of this text (the turn's, so a text is read once); the joined description is read once more when there
 * is more than one part.
 * `offerOnly`: at the category question, after the story, the person is choosing: a further part told
 * there refreshes the choices offered and does not pick the category silently for them.
 */
export function hearStory(d: ReportDraft, text: string, read: Classification, offerOnly = false): void {
  const before = d.description ?? d.opening;
  d.opening = undefined;
  d.description = before ? `${before}\n${text}`.slice(0, MAX_DESCRIPTION) : text.slice(0, MAX_DESCRIPTION);
  const whole = d.description === text ? read : classify(d.description);
  raiseForPart(d, read, whole);
  // A child telling of themselves over several messages ("em năm nay lớp 6" … "dượng em hay vào phòng em").
  if (!d.self && d.description !== text && tellsOwnStory(d.description)) d.self = true;
  // What the story says of the child and the time is not asked again; an answer already given stays.
  const facts = readStoryFacts(text);
  d.childAge ??= facts.age;
  d.childSex ??= facts.sex;
  // "nó đang cầm dao đuổi con": harm told as going on is happening now, unless the story names its time,
  // and the child is in danger now, as the "Đang xảy ra" button says.
  const now = !facts.when && tellsNow(text);
  d.when ??= facts.when ?? (now ? HAPPENING_NOW : undefined);
  if (now) d.inDanger ??= 'yes';
  d.childName ??= facts.name;
  if (d.category) return;
  if (!offerOnly && whole.sure && (whole.categories[0]?.score ?? 0) >= PRESELECT) {
    d.category = whole.categories[0]?.key;
    d.suggested = undefined;
  } else {
    d.suggested = whole.categories.map((c) => c.key);
  }
}

/**
 * A first message of a word or two that makes no category clear and starts a report by its cue ("cứu
 * với"): a call, not yet the story. Its urgency counts, and the person is asked what happened instead
 * of being offered categories guessed from two words.
 */
export function callNotStory(text: string, read: Classification): boolean {
  return text.split(/\s+/).length < FRAGMENT_WORDS && !read.sure;
}

/**
 * A first message of a few words that names no harm (no severity cue, no category clear): "thương thằng
 * bé quá", "tội con bé lắm". Something may be wrong, so a report starts, but the model reads so little
 * as P0 by uncertainty alone: the words are kept and the person is asked what happened, and the story,
 * once told, is read with them and rounds up as any story does.
 */
export function vagueOpening(text: string, read: Classification): boolean {
  return (!read.cues.length && !read.sure && text.split(/\s+/).length < VAGUE_WORDS) || introducesOnly(text, read);
}

/**
 * Words that say who a child is and nothing of what happened to them: the child, whose child or where
 * ("con bé hàng xóm", "thằng cu nhà c Hoa", "cháu nhà ông Tư ở thôn Nà Ca"), the age or class ("năm nay
 * 14t", "học lớp 3"), and the words between.
 */
const WHO_WORDS: ReadonlySet<string> = new Set(
  ('con be chau thang dua em cu cau co nho trai gai nha ben hang xom canh gan doi dien dau ngo cuoi xom thon ban ap lang o cua toi minh ' +
    'tui anh chi c a ong ba bac chu di cau mo thim ay do kia nay day ten la nam tuoi thang len moi vua da duoc chi tam khoang chung hoc lop ' +
    'mau giao mam non nha tre truong cap va voi cung cai hai ba bon sau bay tam chin muoi').split(' '),
);

/**
 * A first message that only says who the child is ("con bé hàng xóm nhà c năm nay 14t"): no severity
 * cue, no category clear, and no word that is not a child's, a place's, an age's or a name. It names no
 * harm, so it opens a report as a vague opening does (the words kept, the story asked for), never with
 * the emergency notice the model's rounding up gave so few words.
 */
export function introducesOnly(text: string, read: Classification): boolean {
  if (read.cues.length || read.sure) return false;
  // A name ("thằng Bin", "nhà ông Tư") or a village named with capitals: who, not what.
  const unnamed = text.normalize('NFC').replace(/(?<=\S\s+)\p{Lu}[\p{L}\p{M}]*/gu, ' ');
  return tokens(unnamed).every((w) => WHO_WORDS.has(w) || /^\d{1,2}$/.test(w));
}

/**
 * A word or two that no severity cue marks and no category makes clear ("na ca", "trợ giúp"): an
 * answer or a word typed in passing, however the model reads it; on 5-fold no concern line of the
 * corpus is one (docs/classifier.md).
 */
export function fragmentOnly(text: string, read: Classification): boolean {
  return callNotStory(text, read) && !read.cues.length;
}

/**
 * True when a message answering no choice reads as more of the story rather than an answer. At the
 * category question (`atCategory`) a few words that read as a concern are the story going on ("bác trai
 * hay say rượu"): no answer to that question tells something; at the others a few words are likelier
 * an answer the model misreads ("không biết tên").
 */
export function continuesStory(input: StepInput, ctx: TurnContext, atCategory = false): boolean {
  if (input.choice || input.text.length < MIN_DESCRIPTION) return false;
  const words = input.text.split(/\s+/).length;
  // One or two words tell a story only with a severity cue ("chảy máu"): read alone, the model takes
  // an answer such as "ẩn danh" for a concern. "À còn nữa, …" says it is more of the story, and a
  // vehicle's plate answers no question.
  if (ctx.understood.cues.length || opensAddition(input.text) || hasLicencePlate(input.text)) return true;
  if (words < FRAGMENT_WORDS) return false;
  // "tuần sau là cưới rồi": a time with what happens then tells more than the answer to "when?" (it was
  // kept as the time, and the wedding lost from the story).
  if (timeAndMore(input.text)) return true;
  if (atCategory && ctx.understood.isConcern) return true;
  // A few words are read as a concern far more easily than they tell one ("không biết tên" reads as a
  // concern at 0.64): short, they must read as one clearly.
  if (words < SHORT_WORDS) return ctx.understood.concern >= SHORT_CONCERN;
  return ctx.understood.isConcern || words >= STORY_WORDS;
}

/**
 * What an answer to the village says besides the place ("ở nà ca, tối qua", "Bản Piềng, bé 6 tuổi"): a
 * time of the list, an age, a sex, kept as a story's are; what was kept, said as `otherAnswers` says it.
 */
export function factsBesidePlace(d: ReportDraft, text: string): string[] {
  const facts = readStoryFacts(text);
  const kept: string[] = [];
  if (facts.age && d.childAge === undefined) kept.push(`trẻ ${(d.childAge = facts.age)}`);
  if (facts.sex && d.childSex === undefined) kept.push(SEX_TOLD[(d.childSex = facts.sex)]);
  if (facts.when && d.when === undefined) kept.push(timeTold((d.when = facts.when)));
  return kept;
}

export const toldMore = (d: ReportDraft): string => spoken(d, 'Mình đã ghi thêm vào lời kể của bạn.', 'Mình đã ghi thêm vào lời em kể.');

/** Keeps a message that continued the story and says so; the step then asks its question again. */
export function keepStoryPart(d: ReportDraft, input: StepInput, ctx: TurnContext, step: string) {
  hearStory(d, input.text, ctx.understood);
  ctx.reply(toldMore(d));
  return { next: step };
}

/**
 * "À còn nữa, nó còn bị bỏ đói", "em quên chưa nói là …" at any question once the story is told: more
 * of it, joined to the description, whatever the question (at the child's name or the reporter's it was
 * kept as the name). The story's own questions read it themselves.
 */
export function additionAside(d: ReportDraft, ctx: TurnContext, step: string): string | undefined {
  if (step === 'description' || step === 'category' || !d.description || !opensAddition(ctx.text)) return undefined;
  hearStory(d, ctx.text, ctx.understood);
  return toldMore(d);
}

function categoryChoice(key: CategoryKey): ChoiceWithAliases {
  const c = CATEGORIES.find((x) => x.key === key);
  return { label: c?.label ?? key, value: key };
}

export const categoryStep: Step<ReportDraft> = {
  id: 'category',
  answered: (d) => Boolean(d.category),
  prompt: (d) => {
    if (d.suggested?.length) {
      const keys = [...d.suggested.filter((k) => k !== 'other'), 'other' as const];
      return {
        text: 'Việc này gần nhất với mục nào? Nếu không mục nào đúng, chọn "Việc khác".',
        choices: [...keys.map(categoryChoice), { label: 'Xem tất cả các mục', value: ALL_CATEGORIES, aliases: ['tat ca', 'xem tat ca'] }],
      };
    }
    return {
      text: 'Bạn muốn báo về việc gì? Chọn một mục, hoặc kể ngắn gọn sự việc.',
      choices: CATEGORIES.map((c) => categoryChoice(c.key)),
    };
  },
  answer: (d, input, ctx) => {
    if (input.choice === ALL_CATEGORIES) {
      d.suggested = undefined;
      return { next: 'category' };
    }
    if (input.choice) {
      d.category = input.choice as CategoryKey;
      return {};
    }
    // "ko biết", "thôi khỏi": the person cannot or will not pick, which is what "Việc khác" is for.
    if (noAnswer(input.text)) {
      d.category = 'other';
      ctx.reply(spoken(d, 'Không sao, mình ghi là "Việc khác"; cán bộ xã sẽ đọc kỹ lời kể của bạn.', 'Không sao, mình ghi là "Việc khác"; cán bộ xã sẽ đọc kỹ lời em kể.'));
      return {};
    }
    // The place, told before it is asked ("em ở Nà Ca"), is kept: the village question is then passed over.
    const village = d.village ? undefined : (matchVillage(input.text, communeOf(d, ctx)) ?? placeTyped(input.text));
    if (village) d.village = village;
    // Typed words are the story only when they tell something ("bé bị đánh", or a long message): "bỏ qua",
    // "ẩn danh" or "gửi" typed here are not added to the description.
    if (!continuesStory(input, ctx, true)) {
      if (!village) return { error: spoken(d, NOT_A_CATEGORY.adult, NOT_A_CATEGORY.child) };
      ctx.reply(`Mình đã ghi nơi xảy ra: ${[village, ...factsBesidePlace(d, input.text)].join(', ')}.`);
      return { next: 'category' };
    }
    // The words kept from a vague opening ("con bé nhà bên năm nay 15 tuổi") are the story's beginning.
    const told = Boolean(d.description ?? d.opening);
    hearStory(d, input.text, ctx.understood, Boolean(d.description));
    // Said also when the story makes the category clear, so the next question does not come unexplained.
    ctx.reply(spoken(d, told ? 'Mình đã ghi thêm vào lời kể của bạn.' : 'Mình đã ghi lại lời kể của bạn.', 'Mình đã ghi thêm vào lời em kể.'));
    return d.category ? {} : { next: 'category' };
  },
};

export const descriptionStep: Step<ReportDraft> = {
  id: 'description',
  skip: (d) => Boolean(d.description),
  prompt: () => ({ text: 'Xin kể ngắn gọn chuyện gì đã xảy ra. Bạn có thể gửi kèm ảnh, tệp, tin nhắn thoại hoặc vị trí.' }),
  answer: (d, input, ctx) => {
    if (input.text.length >= MIN_DESCRIPTION) {
      hearStory(d, input.text, ctx.understood);
      return {};
    }
    return { error: 'Xin kể thêm một chút (ít nhất vài từ) để cán bộ hiểu sự việc.' };
  },
};

/**
 * The citizen's report conversation (Mẫu 01 fields, docs/domain.md §4). Short Vietnamese prompts, buttons on
 * channels that have them, typed answers everywhere; anonymous by default.
 * The steps are in the order they are asked; the story's steps are in story.ts, the child's in
 * child-steps.ts.
 */
import { tellsOwnHarm } from '../../nlu/self-report.js';
import { randomUUID } from 'node:crypto';
import { reportConfirmed } from '../../actions/alert-queue.js';
import { timezoneOf, type CommuneConfig } from '../../config/communes.js';
import { beyondVillage, landmarkTyped, matchVillage, placeTyped, villagesNamed } from '../../domain/villages.js';
import { AGREE, saidInFewWords, type ChoiceWithAliases } from '../../messaging/choices.js';
import type { Media } from '../../messaging/message.js';
import { classify, type Classification } from '../../nlu/classifier.js';
import { answerWordsOnly, mentionsTimeBesidesNow, readStoryFacts } from '../../nlu/story-facts.js';
import { foldWords, hasPhrase, leadingAnswer, noAnswer } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';
import type { Flow, Step, StepInput, StepResult } from '../flow.js';
import { ageStep, answersAnother, dangerStep, readAge, sexStep, UNKNOWN, UNKNOWN_AGE, whenStep } from './child-steps.js';
import { alertRolesFor, attachmentsText, communeOf, datedWhen, draftReasons, draftUrgency, emergencyNotice, type ReportDraft, SEX_TOLD, spoken, summarize, UNKNOWN_VILLAGE } from './draft.js';
import { backAside, pauseAside, progressAside, reportAside, thanksAside } from './asides.js';
import { childNameGivenEarly, knownBy, typedName } from './child-name.js';
import { contactChoiceTyped, contactGivenEarly, contactStep, findPhone, nameStep, phoneStep } from './contact.js';
import { changedAtSummary, summaryHint } from './corrections.js';
import { additionAside, callNotStory, categoryStep, continuesStory, descriptionStep, factsBesidePlace, hearStory, keepStoryPart, raiseForPart, toldMore, vagueOpening } from './story.js';

export const REPORT_FLOW = 'report';
const SKIP = { label: 'Bỏ qua', value: 'skip', aliases: ['bo qua', 'thoi', 'thoi khoi', 'khong biet', 'khong ro', 'ko biet', 'k biet', 'khong'] };

const communeStep: Step<ReportDraft> = {
  id: 'commune',
  skip: (d) => Boolean(d.communeId),
  prompt: (_d, ctx) => ({
    text: 'Việc này xảy ra ở xã nào?',
    choices: ctx.communes.map((c) => ({ label: c.name, value: c.id })),
  }),
  answer: (d, input) => {
    if (!input.choice) return { error: 'Xin chọn một xã trong danh sách (bấm nút hoặc gõ số thứ tự).' };
    d.communeId = input.choice;
    return {};
  },
};

const villageStep: Step<ReportDraft> = {
  id: 'village',
  answered: (d) => Boolean(d.village),
  prompt: (d, ctx) => ({
    // A child telling of themselves is asked where they live: that is where help goes.
    text: spoken(d, 'Việc xảy ra ở thôn/xóm nào?', 'Nhà em ở thôn/xóm nào?'),
    choices: [...communeOf(d, ctx).villages.map((v) => ({ label: v.name, value: v.name })), { ...UNKNOWN, label: 'Không rõ / nơi khác' }],
  }),
  answer: (d, input, ctx) => {
    // "thôi khỏi", "bỏ qua": not said, as "Không rõ".
    if (input.choice === 'unknown' || noAnswer(input.text)) d.village = UNKNOWN_VILLAGE;
    // A place not in the list ("hình như ở thôn 3") is kept as typed, however sure the person is.
    else d.village = input.choice ?? matchVillage(input.text, communeOf(d, ctx)) ?? placeTyped(input.text, true);
    // "Em không biết, bé học cùng trường với con em": not known, and what follows may tell more.
    if (!d.village && leadingAnswer(input.text) === 'unsure') {
      d.village = UNKNOWN_VILLAGE;
      if (continuesStory(input, ctx)) hearStory(d, input.text, ctx.understood);
      return {};
    }
    if (!d.village && continuesStory(input, ctx)) return keepStoryPart(d, input, ctx, 'village');
    // "chợ xã ạ", "ngoài bờ suối": a place instead of a village, kept as said ("sáng nay ở chợ" also
    // answers "when?": that reading comes first, below).
    if (!d.village && !mentionsTimeBesidesNow(input.text)) d.village = landmarkTyped(input.text);
    // "ở khuổi tát, gần nhà văn hoá": the village, and the rest kept with the story (where in the village
    // helps the officer who goes; the story's facts are read from it). What only answers other questions
    // ("ở nà ca, tối qua", "nà ca, cháu mới 8 tuổi") is kept for them, below.
    const beyond = d.village && !input.choice ? beyondVillage(input.text, communeOf(d, ctx), d.village) : [];
    if (beyond.length >= PLACE_DETAIL_WORDS && !answerWordsOnly(beyond.join(' '))) {
      hearStory(d, input.text, ctx.understood);
      ctx.reply(toldMore(d));
    }
    // "con gái", "10t", "tối qua" answered before their questions.
    const another = d.village ? undefined : answersAnother(d, input, ctx, 'village');
    if (another) return another;
    if (!d.village) return { error: 'Mình không tìm thấy thôn này. Xin chọn trong danh sách, hoặc chọn "Không rõ / nơi khác".' };
    // "ở nà ca, tối qua": the time told with the place answers its own question too.
    const besides = input.choice ? [] : factsBesidePlace(d, input.text);
    if (besides.length) ctx.reply(`Mình đã ghi: ${[d.village, ...besides].join(', ')}.`);
    return {};
  },
};

/** Words beyond a village's name that describe a spot in it ("gần nhà văn hoá", "đầu ngõ"). */
const PLACE_DETAIL_WORDS = 2;

/** Words that put an earlier answer right ("à nhầm", "không phải … mà …", "sửa lại", "đúng ra là"). */
const CORRECTION = /(^| )(nham|khong phai|ko phai|k phai|sua lai|dung ra|xin loi)( |$)/;

/** "à nhầm, cháu là con trai": a boy or a girl named, not both. */
function sexNamed(folded: string): ReportDraft['childSex'] {
  const boy = hasPhrase(folded, 'trai');
  return boy === hasPhrase(folded, 'gai') ? undefined : boy ? 'nam' : 'nu';
}

/** A correction this long tells more than the answer it puts right. */
const TOLD_MORE_WORDS = 12;

/**
 * The one village a correction names as the right one: a village said right after "không phải" is the
 * wrong one ("Bản Piềng chứ không phải Nà Ca", "không phải Nà Ca, Bản Piềng cơ").
 */
function rightVillage(folded: string, commune: CommuneConfig): string | undefined {
  const right = villagesNamed(folded, commune).filter((v) => !/(^| )(khong|ko|k) phai$/.test(v.before));
  return right.length === 1 ? right[0]?.name : undefined;
}

/** Initials as the name question invites them ("K.H.", "N. V. A"): "K" there is no "không". */
const INITIALS = /^\p{Lu}(?:\.\s*\p{Lu})+\.?$/u;

/**
 * An optional free-text step: "Bỏ qua" leaves the field empty, and so does a no or "don't know" in the
 * person's words ("k bik ten", "dạ không ạ") of at most `noneWords` words: a longer one may tell
 * something ("không, chưa có ai giúp cháu").
 */
function optionalText(
  id: string,
  text: (d: ReportDraft) => string,
  set: (d: ReportDraft, v: string | undefined, ctx: TurnContext) => void,
  max: number,
  noneWords: number,
): Step<ReportDraft> {
  const none = (t: string): boolean =>
    t.split(/\s+/).length <= noneWords && !INITIALS.test(t.trim()) && (leadingAnswer(t) === 'no' || leadingAnswer(t) === 'unsure' || noAnswer(t) !== undefined);
  return {
    id,
    prompt: (d) => ({ text: text(d), choices: [SKIP] }),
    answer: (d, input, ctx) => {
      set(d, input.choice === 'skip' || !input.text || none(input.text) ? undefined : input.text.slice(0, max), ctx);
      return {};
    },
  };
}

/** A change of mind about the contact, typed at the summary; undefined when the text is none. */
function changedContact(d: ReportDraft, input: StepInput, ctx: TurnContext): StepResult | undefined {
  if (input.choice || input.text.split(/\s+/).length > 8) return undefined;
  const choice = contactChoiceTyped(input.text, input.folded);
  if (choice === 'anonymous' && d.wantsContact) {
    d.wantsContact = false;
    d.reporterName = undefined;
    d.reporterPhone = undefined;
    ctx.reply(spoken(d, 'Mình đã đổi thành báo ẩn danh.', 'Mình đã đổi: em không để lại tên.'));
    return { next: 'confirm' };
  }
  if (choice === 'contact' && !d.wantsContact) {
    d.wantsContact = true;
    d.reporterPhone ??= findPhone(input.text);
    return { next: 'reporter-name' };
  }
  return undefined;
}

const SEND: ChoiceWithAliases = { label: '✅ Gửi báo cáo', value: 'send', aliases: [...AGREE, 'gui', 'gui bao cao'] };
/** Words that make a short reply at the summary no "send" ("chưa gửi", "khoan, sửa đã"). */
const NOT_YET = ['khong', 'ko', 'k', 'chua', 'sua', 'sai', 'khoan', 'huy'];

const confirmStep: Step<ReportDraft> = {
  id: 'confirm',
  prompt: (d, ctx) => ({
    text: `${summarize(d, communeOf(d, ctx))}\n\nGửi báo cáo này?`,
    choices: [SEND],
  }),
  answer: (d, input, ctx): StepResult => {
    // "gửi đi ạ", "ok gửi nhé": the button's words with a few of their own.
    if (input.choice === 'send' || (!input.choice && saidInFewWords(input.folded, SEND, NOT_YET))) return { done: true };
    // A change of mind about the contact at the end ("thôi, ẩn danh đi", "em muốn để lại số"): the summary again, or the questions for it.
    const contact = changedContact(d, input, ctx);
    if (contact) return contact;
    return changedAtSummary(d, input, ctx) ?? { error: summaryHint(d) };
  },
};

/**
 * The category question, where a time, an age or a sex typed ahead ("hôm kia", "nữ", "8 tuổi") is kept
 * for its own question instead of the reassurance that any category will do.
 */
const categoryKeepingAnswers: Step<ReportDraft> = {
  ...categoryStep,
  async answer(d, input, ctx) {
    const result = await categoryStep.answer(d, input, ctx);
    return result.error ? (answersAnother(d, input, ctx, 'category') ?? result) : result;
  },
};

const childNameAsked = optionalText(
  'child-name',
  (d) => spoken(d, 'Tên hoặc tên viết tắt của trẻ, nếu bạn biết (không bắt buộc).', 'Tên em là gì? (không bắt buộc)'),
  // "thằng Bin", "tên nó là Tí": the name without the words around it; "không biết tên, chỉ biết là con
  // ông Tuấn": what the child is known by.
  (d, v) => (d.childName = v && (typedName(v, true) ?? knownBy(v) ?? v)),
  100,
  6,
);

/**
 * The child's name, passed over when the story gave it ("con tôi tên Minh"; "quay lại" still reaches it).
 * A number typed there ("12", "12 tuổi") is no name: it is the age, kept if none was known, and the
 * name asked again.
 */
const childNameStep: Step<ReportDraft> = {
  ...childNameAsked,
  answered: (d) => d.childName !== undefined,
  answer: (d, input, ctx) => {
    const age = /\d/.test(input.text) && !input.choice ? readAge(input.folded).age : undefined;
    if (!age || age === UNKNOWN_AGE) return childNameAsked.answer(d, input, ctx);
    if (d.childAge === undefined || d.childAge === UNKNOWN_AGE) d.childAge = age;
    const asked = childNameAsked.prompt(d, ctx).text;
    return { error: `${spoken(d, `Mình đã ghi tuổi của trẻ: ${d.childAge}.`, `Mình đã ghi: em ${d.childAge}.`)}\n${asked}` };
  },
};

export const reportFlow: Flow<ReportDraft> = {
  name: REPORT_FLOW,
  holdsStory: (d) => Boolean(d.description),
  steps: [
    communeStep,
    categoryKeepingAnswers,
    villageStep,
    descriptionStep,
    whenStep,
    ageStep,
    sexStep,
    dangerStep,
    childNameStep,
    optionalText(
      'extra',
      (d) =>
        spoken(
          d,
          'Bạn có biết thêm không: ai có thể đã gây hại, cha mẹ hoặc người chăm sóc trẻ, đã có ai giúp trẻ chưa? (không bắt buộc)',
          'Em đang ở với ai? Có người lớn nào em tin để cán bộ liên hệ không? (không bắt buộc)',
        ),
      (d, v, ctx) => {
        d.extra = v;
        // What the person adds about the child can only raise the urgency, read with the story.
        if (v) raiseForPart(d, ctx.understood, classify(`${d.description ?? ''}\n${v}`));
      },
      2000,
      3,
    ),
    contactStep,
    nameStep,
    phoneStep,
    confirmStep,
  ],
  aside(d, ctx, step) {
    return (
      reportAside(d, ctx.text, communeOf(d, ctx)) ??
      progressAside(d, ctx.folded, questionsLeft(d, ctx, step)) ??
      pauseAside(d, ctx.folded, communeOf(d, ctx).hotlines.child) ??
      backAside(d, ctx.folded) ??
      thanksAside(d, ctx.folded) ??
      contactGivenEarly(d, ctx, step) ??
      childNameGivenEarly(d, ctx, step) ??
      additionAside(d, ctx, step)
    );
  },
  correct(d, ctx, step) {
    if (!CORRECTION.test(ctx.folded)) return undefined;
    const commune = communeOf(d, ctx);
    const village = step === 'village' ? undefined : rightVillage(ctx.folded, commune);
    const facts = readStoryFacts(ctx.text);
    const age = step === 'age' ? undefined : facts.age;
    const sex = step === 'sex' ? undefined : (facts.sex ?? sexNamed(ctx.folded));
    // "à nhầm, cháu 9 tuổi, là con gái": every line put right, not the first one only.
    const changed: string[] = [];
    if (village && village !== d.village) changed.push((d.village = village));
    if (age && age !== d.childAge) changed.push(`trẻ ${(d.childAge = age)}`);
    if (sex && sex !== d.childSex) changed.push(SEX_TOLD[(d.childSex = sex)]);
    if (!changed.length) return undefined;
    const fixed = `Mình đã sửa lại: ${changed.join(', ')}`;
    // A longer message that also tells more ("xin lỗi, ở Khuổi Tát, bố nó còn đánh cả em nó") keeps that too.
    if (ctx.text.split(/\s+/).length < TOLD_MORE_WORDS) return `${fixed}.`;
    hearStory(d, ctx.text, ctx.understood);
    return `${fixed}, ${spoken(d, 'và đã ghi thêm vào lời kể của bạn.', 'và đã ghi thêm vào lời em kể.')}`;
  },
  keepMedia(d, media) {
    d.attachments.push(...keepable(media));
    return keptText(d);
  },
  afterAnswer(d, ctx) {
    if (!d.warned && draftUrgency(d) === 'P0') {
      d.warned = true;
      ctx.reply(emergencyNotice(communeOf(d, ctx), d.self));
    }
  },
  async complete(d, ctx) {
    const commune = communeOf(d, ctx);
    const urgency = draftUrgency(d);
    const report = await ctx.services.cases.create(
      {
        communeId: commune.id,
        category: d.category ?? 'other',
        urgency,
        reasons: draftReasons(d),
        alertRoles: alertRolesFor(commune, urgency),
        village: d.village ?? UNKNOWN_VILLAGE,
        inDanger: d.inDanger ?? 'unknown',
        channel: ctx.msg.channel,
        details: {
          description: d.description ?? '',
          when: datedWhen(d.when, ctx.services.now(), timezoneOf(ctx.services.config, commune.id)),
          child: { name: d.childName, age: d.childAge, sex: d.childSex },
          extra: d.extra,
          reporter: {
            identity: ctx.identity,
            name: d.wantsContact ? d.reporterName : undefined,
            phone: d.wantsContact ? d.reporterPhone : undefined,
            ...(d.self ? { self: true } : {}),
          },
          attachments: d.attachments,
        },
      },
      ctx.services.now(),
      d.draftId ? `${ctx.identity}:${d.draftId}` : undefined,
    );
    const next =
      urgency === 'P3'
        ? `Cán bộ sẽ xem và trả lời khi cần. Nếu cần tư vấn ngay, xin gọi ${commune.hotlines.child} (miễn phí).`
        : urgency === 'P0'
          ? 'Cán bộ xã, lãnh đạo xã và công an xã đã được báo ngay.'
          : 'Cán bộ bảo vệ trẻ em của xã sẽ tiếp nhận và xử lý.';
    ctx.reply(
      d.self
        ? `✅ Xã đã nhận tin của em. Mã: ${report.code}\n${next}\n` +
            `Nếu em gặp nguy hiểm, gọi ngay ${commune.hotlines.child} bất cứ lúc nào. Nếu sợ người khác đọc được, em có thể xoá cuộc trò chuyện này; cán bộ vẫn nhận được tin của em.`
        : `✅ Đã nhận báo cáo. Mã của bạn: ${report.code}\n${next}\n` +
            `Để hỏi tình trạng, gửi: /trangthai ${report.code}\nCảm ơn bạn đã lên tiếng vì trẻ em.`,
    );
    await reportConfirmed(ctx.services, report);
  },
};

/** The questions still to ask from `step` on (the summary to confirm is none), as the draft stands. */
function questionsLeft(d: ReportDraft, ctx: TurnContext, step: string): number {
  const steps = reportFlow.steps.slice(reportFlow.steps.findIndex((s) => s.id === step));
  return steps.filter((s) => s.id !== 'confirm' && !s.skip?.(d, ctx) && !s.answered?.(d, ctx)).length;
}

/** What is kept of a message's media: everything but stickers. */
export function keepable(media: readonly Media[]): Media[] {
  return media.filter((m) => m.kind !== 'sticker');
}

/** "Đã nhận tệp đính kèm (2 ảnh, 1 vị trí)…": said each time something is attached. */
export function keptText(d: ReportDraft): string {
  return `Đã nhận tệp đính kèm (${attachmentsText(d.attachments)}), mình sẽ gửi kèm theo báo cáo.`;
}

/** Starts a report with the message's attachments; a story (the first message) is kept as the description. */
/** The story a draft starts from: this message's text, or words told earlier and kept (`told`). */
export interface ToldStory {
  text: string;
  understood: Classification;
}

export function initialDraft(ctx: TurnContext, story = false, told?: ToldStory): ReportDraft {
  const draft: ReportDraft = { draftId: randomUUID(), attachments: keepable(ctx.msg.media) };
  if (ctx.communes.length === 1) draft.communeId = ctx.communes[0]?.id;
  const text = told ? told.text : ctx.text;
  if (!story || !text) return draft;
  // Classified only for a story: '/baocao' and the menu's button were classified for nothing (issue 15).
  const understood = told ? told.understood : ctx.understood;
  // The place named is kept however little the words tell ("chi oi, e o thon na ca").
  keepVillageNamed(draft, ctx, text);
  // A call ("cứu với") counts for its urgency; the story itself is asked for.
  if (callNotStory(text, understood)) {
    raiseForPart(draft, understood, understood);
    return draft;
  }
  if (vagueOpening(text, understood)) {
    // "con bé hàng xóm nhà c năm nay 14t": who the child is, kept for the questions, and the story asked for.
    draft.opening = text;
    const facts = readStoryFacts(text);
    draft.childAge = facts.age;
    draft.childSex = facts.sex;
    draft.childName = facts.name;
    return draft;
  }
  hearStory(draft, text, understood);
  if (tellsOwnHarm(text)) draft.self = true;
  // "em muốn giấu tên, nhà bên…": the wish told with the story is the contact answer.
  if (contactChoiceTyped(text, foldWords(text)) === 'anonymous') draft.wantsContact = false;
  return draft;
}

function keepVillageNamed(draft: ReportDraft, ctx: TurnContext, text: string): void {
  for (const c of ctx.communes) {
    const v = matchVillage(text, c);
    if (v && (!draft.communeId || draft.communeId === c.id)) {
      draft.communeId = c.id;
      draft.village = v;
      return;
    }
  }
}

/**
 * Starts the report conversation: from /baocao, the menu or "tôi muốn báo cáo"; from a first message that
 * tells a story about a child (no story is thrown away); or from a photo, file, voice note or location
 * sent before any text (kept as the draft's attachments).
 */
import { categoryOf } from '../../domain/categories.js';
import { foldWords, hasPhrase } from '../../text/vietnamese.js';
import { serviceTopic } from '../../nlu/service-topics.js';
import { classify, type Classification } from '../../nlu/classifier.js';
import { anonymityWish } from '../../nlu/service-topics.js';
import { MENU_CHOICES } from '../menu.js';
import { anonymityAnswer } from '../service-answers.js';
import type { Feature, TurnContext } from '../turn.js';
import type { FlowEngine } from '../flow.js';
import { initialDraft, keepable, keptText, REPORT_FLOW, reportFlow } from './flow.js';
import type { ReportDraft } from './draft.js';
import { fragmentOnly } from './story.js';

const START_PHRASES = ['bao cao', 'to cao', 'phan anh', 'trinh bao', 'can giup', 'giup do', 'bao tin'];
/**
 * With a start phrase, words about a report already sent ("huỷ báo cáo", "xem lại báo cáo"), or about reports
 * as a thing (a report's code, what happens once one is sent, a village's monthly report): not a new one.
 */
const ABOUT_SENT = ['huy', 'xoa', 'sua', 'xem', 'bo sung', 'cua toi', 'da gui', 'vua gui', 'hom truoc', 'tra cuu', 'tinh trang', 'trang thai', 'ma bao cao', 'bao cao xong', 'bao cao thang'];
/** "Làm sao để báo cáo" asks for the very thing the report conversation does: it starts one. */
const HOW_TO = ['lam sao', 'the nao', 'nhu nao', 'o dau', 'cach nao'];
/** A yes/no question about the service ("báo cáo bằng tiếng dân tộc được không"): answered, not started. */
const YES_NO = /(?:^| )(?:khong|ko|k|kh|hong|hok|kg|chua|duoc khong|bao lau|bao gio|mat phi|mien phi)(?: a| vay| nhi| nhe| ha| the| day|)$/;
/** More words than this, not understood as anything else, is taken as a possible story. */
const FEW_WORDS = 4;
/** Below this probability of concern a longer message is clearly something else (a question, chit-chat). */
const CLEARLY_NOT = 0.3;
/**
 * Kinds the classifier recognises well enough that a longer message of that kind is understood, not a
 * story. `advice` is one: a question about children in general ("làm sao để biết con bị bắt nạt") gets
 * the answer; a question that tells of a real child is a concern (or fires a cue) and starts a report.
 */
/** The button offered with the answer to a wish to stay unnamed: starts a report that will not ask for a name. */
const ANONYMOUS_START = 'menu:report-anonymous';
const ANONYMOUS_NOTE = 'Vâng, bạn báo ẩn danh: mình sẽ không hỏi tên hay số điện thoại của bạn.';

const UNDERSTOOD_KINDS: ReadonlySet<string> = new Set(['counts', 'status', 'service', 'greeting', 'thanks', 'advice']);

/** Whether the words ask to make a report ("tôi muốn báo cáo", "làm sao để tố cáo"), not ask about one. */
export function asksToReport(folded: string): boolean {
  if (!START_PHRASES.some((p) => hasPhrase(folded, p))) return false;
  if (ABOUT_SENT.some((p) => hasPhrase(folded, p))) return false;
  // "muốn lên xã trình báo thì gặp ai": where to report in person, answered with the office.
  if (serviceTopic(folded) === 'office') return false;
  return HOW_TO.some((p) => hasPhrase(folded, p)) || !YES_NO.test(folded);
}

/** Whether a first message that is not a command may describe something wrong with a child. */
export function possibleStory(text: string, c: Classification): boolean {
  if (fragmentOnly(text, c)) return false;
  if (c.isConcern) return true;
  // A question about children in general that the classifier does not read as a concern is a question.
  return !c.question && text.split(/\s+/).length > FEW_WORDS && c.concern >= CLEARLY_NOT && !UNDERSTOOD_KINDS.has(c.kind);
}

/**
 * A question for the commune's office ("muốn hỏi về chế độ học bổng cho hộ nghèo", "gặp cán bộ ở đâu"),
 * or doubt whether to report told in a few words ("tôi đang phân vân quá"), that names no harm (no
 * severity cue): the catch-all answers it, though the words lean to a concern (the corpus has stories
 * told with their doubt, so the model reads doubt itself as half a story).
 */
function asksOfficeOnly(text: string, c: Classification): boolean {
  if (c.cues.length) return false;
  const topic = serviceTopic(text);
  return topic === 'paperwork' || topic === 'office' || topic === 'unsure';
}

/** "báo ở đây được không", "em báo ai", "phải báo ở đâu", "tố cáo thế nào": where or whether to report, asked. */
const ASKS_WHERE_TO_REPORT = /(?:^| )(?:bao|bao cao|to cao|trinh bao|phan anh)(?: (?:o day|cho ai|voi ai|ai|o dau|dau|the nao|nhu nao|sao|duoc khong|duoc ko|dc ko|dc k|duoc k|duoc chu|duoc a))+(?: (?:a|vay|nhi|ha|nhe|the|day))*\??$/;
/** "… thì báo ở đâu", "… thì có báo được không": the question after what happened. */
const THEN_ASKED = /^(.+?)[\s,]+(?:thì|thi)\s+(.+)$/iu;
/** A premise that is only supposed ("nếu thấy trẻ bị đánh thì báo ở đâu") tells of no real child. */
const SUPPOSED = /^(?:(?:cho (?:em|toi|minh|e) )?hoi )?(?:neu|neu nhu|khi|lo|gia su|truong hop|trong truong hop|nhung|nhung ma|vay|the) /;
/**
 * A particular child: "con em", "cháu nhà tôi", "thằng bé hàng xóm", "có đứa bé …" (not "trẻ em", "học
 * sinh", children in general).
 */
const THIS_CHILD = /(?:^| )(?:(?:con|chau|be|thang|dua|em be|thang be|con be|dua be|dua nho|chau be)(?: (?:trai|gai|nho|be))? (?:toi|em|e|minh|mk|tui|nha|nha ben|hang xom|nha hang xom|o|ten|ay|do|nay|cua)|co (?:mot |1 )?(?:dua|be|chau|em be|thang be|con be))(?: |$)/;
const PREMISE_WORDS = 3;
/**
 * A child's illness named ("con em bị sốt", "bé bị ho mấy hôm nay"): with no severity cue ("sốt cao co
 * giật" has one) a parent asks what to do, whatever share of neglect the model reads in so few words.
 */
const ILLNESS = /(?:^| )(?:bi|hay|dang) (?:sot|ho|om|cam|cum|tieu chay|di ngoai|non|oi|dau bung|dau dau|so mui|ngat mui|viem hong|phat ban|noi man|ngua|tao bon|bieng an|mat ngu|sau rang)(?: |$)/;
/** Categories a parent asks advice about as often as they report (a child's own conduct or risks). */
const ADVICE_ABOUT: ReadonlySet<string> = new Set(['at_risk', 'dropout', 'law', 'other']);

/**
 * "con em bị cô giáo đánh thì báo ở đây được ko ạ": a question whose premise tells of a real child is that
 * child's story; the premise read alone says what it is. Undefined when the message is no such question.
 */
function storyBeforeQuestion(ctx: TurnContext): { text: string; understood: Classification } | undefined {
  if (ctx.understood.isConcern) return undefined;
  const premise = THEN_ASKED.exec(ctx.text.normalize('NFC'))?.[1];
  const folded = premise ? foldWords(premise) : '';
  if (!premise || premise.split(/\s+/).length < PREMISE_WORDS || SUPPOSED.test(folded) || !THIS_CHILD.test(folded)) return undefined;
  const understood = classify(premise);
  if (!understood.cues.length && ILLNESS.test(folded)) return undefined;
  // Only harm done to a child, read with confidence: "con em bị sốt thì uống thuốc gì", "con em nghiện
  // game thì phải làm sao" ask for advice.
  const harm = understood.categories[0]?.key;
  return understood.isConcern && understood.sure && harm && !ADVICE_ABOUT.has(harm) ? { text: ctx.text, understood } : undefined;
}

export function reportFeature(flows: FlowEngine): Feature {
  flows.register(reportFlow);
  return {
    name: 'report',
    async handle(ctx) {
      const typed = !ctx.command && !ctx.msg.choice && Boolean(ctx.text);
      // "cho em giấu tên" before any story: a wish about the report, answered; never taken as the story.
      const wish = typed ? anonymityWish(ctx.text) : undefined;
      if (wish === 'wish') {
        ctx.reply(anonymityAnswer(), [{ label: '📝 Báo cáo ẩn danh', value: ANONYMOUS_START }, ...MENU_CHOICES.filter((c) => c.value !== 'menu:report')]);
        return true;
      }
      if (wish === 'report' || ctx.msg.choice === ANONYMOUS_START) {
        const draft = initialDraft(ctx);
        draft.wantsContact = false;
        ctx.reply(`${ANONYMOUS_NOTE} Mình sẽ hỏi vài câu ngắn; bạn có thể "quay lại" hoặc "huỷ" bất cứ lúc nào.`);
        await flows.start(ctx, REPORT_FLOW, draft);
        return true;
      }
      // A story comes first, so "tôi muốn báo cáo: bé nhà bên bị đánh…" keeps the story as the description.
      const premise = typed ? storyBeforeQuestion(ctx) : undefined;
      const story = typed && ((possibleStory(ctx.text, ctx.understood) && !asksOfficeOnly(ctx.text, ctx.understood)) || premise !== undefined);
      const asked = !story && (ctx.command === 'baocao' || ctx.msg.choice === 'menu:report' || (typed && asksToReport(ctx.folded)));
      const mediaFirst = !asked && !story && !ctx.text && !ctx.msg.choice && keepable(ctx.msg.media).length > 0;
      if (!asked && !story && !mediaFirst) return false;
      const draft = initialDraft(ctx, story, premise);
      // The answer to "cho em giấu tên" invited the story (or the wish to report) typed next: that report is anonymous.
      if (typed && ctx.offered.some((c) => c.value === ANONYMOUS_START) && draft.wantsContact === undefined) {
        draft.wantsContact = false;
        ctx.reply(ANONYMOUS_NOTE);
      }
      if (story) {
        // "… thì báo ở đây được không", "… e báo ai ạ": the question asked with the story is answered first.
        if (ASKS_WHERE_TO_REPORT.test(ctx.folded)) ctx.reply('Bạn báo ngay tại đây là đúng chỗ: cán bộ xã sẽ nhận được.');
        await startFromStory(ctx, flows, draft);
        return true;
      }
      if (asked) ctx.reply('Cảm ơn bạn đã lên tiếng. Mình sẽ hỏi vài câu ngắn; bạn có thể "quay lại" hoặc "huỷ" bất cứ lúc nào.');
      else ctx.reply(`${keptText(draft)} Mình sẽ hỏi vài câu ngắn để cán bộ xã hiểu sự việc.`);
      await flows.start(ctx, REPORT_FLOW, draft);
      return true;
    },
  };
}

/** Starts the report from a draft built on a story, saying what was understood of it. */
async function startFromStory(ctx: TurnContext, flows: FlowEngine, draft: ReportDraft): Promise<void> {
  if (draft.self) ctx.reply('Cảm ơn em đã nhắn cho xã. Em đã làm đúng khi lên tiếng. Mình đã ghi lại lời em kể và sẽ hỏi thêm vài câu ngắn để cán bộ xã đến giúp em.');
  else if (!draft.description) ctx.reply('Mình ở đây để giúp bạn báo cho cán bộ xã. Xin kể ngắn gọn chuyện gì đang xảy ra với trẻ.');
  else if (draft.category) {
    ctx.reply(
      `Cảm ơn bạn đã báo. Có thể trẻ đang gặp chuyện không ổn (${categoryOf(draft.category).label.toLowerCase()}); ` +
        'mình đã ghi lại lời kể của bạn và sẽ hỏi thêm vài câu ngắn để cán bộ xã xử lý nhanh nhất.',
    );
  } else {
    ctx.reply('Cảm ơn bạn đã kể. Có thể có điều không ổn với một trẻ; mình đã ghi lại lời kể của bạn và sẽ hỏi thêm vài câu ngắn.');
  }
  reportFlow.afterAnswer?.(draft, ctx);
  await flows.start(ctx, REPORT_FLOW, draft);
}

/** Starts a report from words told earlier and kept (a staff member's story first offered as a case note). */
export async function startReportFrom(ctx: TurnContext, flows: FlowEngine, text: string): Promise<void> {
  await startFromStory(ctx, flows, initialDraft(ctx, true, { text, understood: classify(text) }));
}

/** /start, /help and the catch-all: a short menu of what the service does for this person. */
import type { CommuneConfig } from '../config/communes.js';
import type { Choice, OutgoingMessage } from '../messaging/message.js';
import { serviceTopic } from '../nlu/service-topics.js';
import { hasRoleHelp, roleHelp } from './role-help.js';
import { feelingBeforeStory, serviceAnswer } from './service-answers.js';
import { childLineFor, NATIONAL_CHILD_LINE, senderCommune } from './sender-commune.js';
import type { Feature, TurnContext } from './turn.js';

export const MENU_CHOICES: Choice[] = [
  { label: '📝 Báo cáo sự việc về trẻ em', value: 'menu:report' },
  { label: '🔎 Hỏi tình trạng báo cáo', value: 'menu:status' },
  { label: 'ℹ️ Hướng dẫn', value: 'menu:help' },
];

/** The menu, naming `hotline` (the child line of the sender's commune: sender-commune.ts). */
export function menuText(hotline: string): string {
  return (
    'Xin chào! Đây là kênh bảo vệ trẻ em của xã.\n' +
    '• Báo cáo khi bạn biết một trẻ bị bạo lực, xâm hại, bỏ rơi, bóc lột, có nguy cơ đuối nước, bị mua bán…: /baocao\n' +
    '• Hỏi tình trạng báo cáo đã gửi: /trangthai MÃ (ví dụ /trangthai TE-7K3M9Q)\n' +
    `• Khẩn cấp: gọi ${hotline} (tổng đài bảo vệ trẻ em, miễn phí), 113 (công an), 115 (cấp cứu).`
  );
}

/** The menu as one message, for a greeting nobody asked for (a Zalo follow): the commune is known only if there is one. */
export function menuMessage(communes: readonly CommuneConfig[]): OutgoingMessage {
  const hotline = communes.length === 1 ? communes[0]?.hotlines.child : undefined;
  return { text: menuText(hotline ?? NATIONAL_CHILD_LINE), choices: MENU_CHOICES };
}

const HELP =
  'Hướng dẫn:\n' +
  '• /baocao — báo cáo sự việc. Bạn có thể báo ẩn danh.\n' +
  '• /trangthai MÃ — hỏi tình trạng báo cáo; "báo cáo của tôi" — xem các báo cáo bạn đã gửi.\n' +
  '• Trong khi trả lời: "quay lại" để sửa câu trước, "huỷ" để dừng.\n' +
  '• Cán bộ, trưởng thôn: /dangky MÃ_MỜI để nhận vai trò.';

/** Asking what one can do: "danh sách lệnh" is not a story about a child. */
const HELP_WORDS = new Set(['huong dan', 'help', 'danh sach lenh', 'cac lenh', 'xem lenh', 'xem cac lenh', 'lenh']);

/** What a village head or staff member is offered with their own help: they may report a child too. */
const ROLE_CHOICES: Choice[] = MENU_CHOICES.filter((c) => c.value === 'menu:report');

/** The buttons that end an answer outside a conversation: the citizen menu, or a role holder's own. */
export async function menuChoicesFor(ctx: TurnContext): Promise<Choice[]> {
  return hasRoleHelp(await ctx.member()) ? ROLE_CHOICES : MENU_CHOICES;
}

export const menuFeature: Feature = {
  name: 'menu',
  async handle(ctx) {
    const cmd = ctx.command;
    const help = cmd === 'help' || ctx.msg.choice === 'menu:help' || (!cmd && HELP_WORDS.has(ctx.folded));
    const menu = cmd === 'start' || cmd === 'menu' || (!cmd && (ctx.folded === 'menu' || ctx.folded === 'bat dau'));
    if (!help && !menu) return false;
    const member = await ctx.member();
    const own = roleHelp(ctx, member);
    if (own) ctx.reply(own, ROLE_CHOICES);
    else if (help) ctx.reply(HELP, MENU_CHOICES);
    else ctx.reply(menuText(await childLineFor(ctx, member)), MENU_CHOICES);
    return true;
  },
};

/** The classifier's probability of a kind at which the message counts as recognised. */
const RECOGNISED = 0.5;

function adviceText(hotline: string): string {
  return (
    `Để được tư vấn về cách chăm sóc, dạy dỗ và bảo vệ trẻ, bạn gọi ${hotline} (tổng đài bảo vệ trẻ em, miễn phí) nhé.\n` +
    'Nếu bạn biết một trẻ cụ thể đang gặp chuyện không ổn, hãy kể cho mình hoặc gửi /baocao.'
  );
}

/**
 * A message that only asks leave to ask or tell ("cho tôi hỏi chút", "em muốn báo việc này", "chị ơi
 * cho e nhờ tí"): the person has more to say, so the answer invites it instead of saying "chưa hiểu".
 */
const ASKS_LEAVE =
  /^(?:(?:chi|anh|em|co|chu|bac|ad|admin|ban|xa|can bo) oi )?(?:(?:cho|de) (?:toi|em|minh|chau|tui|t|e|m|con) |(?:toi|em|minh|tui|t|e|chau|con) (?:muon|can|xin|co viec|co chuyen) )(?:hoi|nho|ke|bao|noi|trinh bay|bo sung)(?: (?:chut|cai|ti|xiu|ty|1 chut|mot chut|mot viec|viec nay|chuyen nay|cai nay|them|duoc khong|dc ko|dc k|duoc ko|voi|vs|a|nhe|nha|ak|ah))*$/;

/** Whether the message only asks leave to ask or tell: the classifier reads "cho tôi báo" as a status question. */
export function asksLeave(folded: string): boolean {
  return ASKS_LEAVE.test(folded);
}

/** "chị ơi", "ad ơi", "alo", "có ai không ạ": a call to see whether someone is there, before the story. */
const CALLS =
  /^(?:(?:cac |)(?:(?:anh|chi|co|chu|bac|can bo|ong|ba|thay) (?:chi|chu|bac|ba|em|anh|co)|chi|anh|em|co|chu|bac|ad|admin|ban|xa|can bo|ong|ba|thay|a|c|e)(?: (?:can bo|xa|oi))* oi|a lo|alo+|(?:co )?ai (?:o )?(?:do|day) (?:khong|ko|k)|co ai (?:khong|ko|k|tra loi (?:khong|ko|k)))(?: (?:a|oi|voi|nhe|nha|ah|u|vay))*$/;

/**
 * "chị ơi, e ở thôn Nà Ca", "tôi là người ở xóm trên": the person says who or where they are before
 * what they came to tell (a story about a child has started a report before this).
 */
const INTRODUCES = new RegExp(
  '^(?:(?:chi|anh|em|co|chu|bac|ad|admin|ban|xa|can bo|a|c|e) oi )?(?:(?:xin )?chao (?:chi|anh|em|co|chu|bac|ad|ban|xa|can bo) )?' +
    '(?:toi|em|e|minh|mk|tui|t|chau|con|nha (?:toi|em|e|minh|chau)) (?:o|song o|dang o|la nguoi|la nguoi o|la dan|la dan o|la nguoi dan o)' +
    '(?: (?:thon|xom|ban|ap|to|xa|lang))?(?: [a-z0-9]+){1,4}(?: (?:a|nhe|nha|ah|ak))?$',
);

const INVITE =
  'Dạ, bạn cứ nhắn, mình đang nghe. Nếu là chuyện về một trẻ, bạn kể luôn (có thể kể trong nhiều tin nhắn); ' +
  'mình sẽ ghi lại và hỏi thêm vài câu ngắn.';

/** Last in the chain: anything nobody else answered gets an answer, never silence. */
export const catchAllFeature: Feature = {
  name: 'catch-all',
  async handle(ctx) {
    // What the classifier recognised as a greeting, thanks or a question gets its answer; only what
    // nobody understood hears "chưa hiểu" (a concern never gets here: it started a report).
    const kind = !ctx.msg.choice && ctx.text && ctx.understood.kindScore >= RECOGNISED ? ctx.understood.kind : undefined;
    // A village head or officer gets their own help, not the citizen menu (advice keeps its answer).
    const member = await ctx.member();
    const own = kind === 'advice' ? undefined : roleHelp(ctx, member);
    if (ctx.msg.choice) {
      // A button of a conversation that has ended (pressed twice, or after the report was sent).
      if (own) ctx.reply('Câu hỏi đó đã xong rồi, anh/chị không cần chọn lại. Gửi /help để xem các việc mình làm được.', ROLE_CHOICES);
      else ctx.reply('Câu hỏi đó đã xong rồi, bạn không cần chọn lại. Cần gì thêm, bạn cứ nhắn hoặc chọn bên dưới.', MENU_CHOICES);
      return true;
    }
    const commune = await senderCommune(ctx, member);
    const hotline = commune?.hotlines.child ?? NATIONAL_CHILD_LINE;
    // A short question about the service ("có mất phí không", "ai biết em báo không") gets its answer.
    const topic = ctx.text ? serviceTopic(ctx.text) : undefined;
    if (topic) {
      ctx.reply(topic === 'feeling' ? feelingBeforeStory(hotline) : serviceAnswer(topic, hotline, false, commune), own ? ROLE_CHOICES : MENU_CHOICES);
      return true;
    }
    if (own) {
      if (kind === 'thanks') ctx.reply('Cảm ơn anh/chị. Cần gì, anh/chị cứ nhắn; gửi /help để xem các việc mình làm được.');
      else ctx.reply(kind === undefined || kind === 'chat' ? `Xin lỗi, mình chưa hiểu ý anh/chị.\n${own}` : own, ROLE_CHOICES);
      return true;
    }
    if (asksLeave(ctx.folded) || CALLS.test(ctx.folded) || INTRODUCES.test(ctx.folded)) ctx.reply(INVITE, MENU_CHOICES);
    else if (kind === 'greeting') ctx.reply(menuText(hotline), MENU_CHOICES);
    else if (kind === 'thanks') ctx.reply('Cảm ơn bạn. Khi cần, bạn cứ nhắn hoặc chọn bên dưới.', MENU_CHOICES);
    else if (kind === 'service') ctx.reply(HELP, MENU_CHOICES);
    else if (kind === 'advice') ctx.reply(adviceText(hotline), MENU_CHOICES);
    else ctx.reply(`Xin lỗi, mình chưa hiểu ý bạn.\n${menuText(hotline)}`, MENU_CHOICES);
    return true;
  },
};

/**
 * A staff member's message that names no case and no command, but reads as case work: a record of what
 * was done ("đã gọi cho chị Hạnh, chiều nay sẽ đến nhà cháu") or a question about a case's people
 * ("người báo sđt bao nhiêu"). Without this the first got a "thanks" and was lost, the officer believing
 * it recorded, or, telling of the child, walked them into a new citizen's report; the second got the
 * whole help. The record is kept and the cases it may belong to are offered as buttons, with "a new
 * case" for a story that is one; nothing is written until one is pressed. Comes after the commands and
 * the counts, before a described concern starts a report.
 */
import type { Feature, TurnContext } from '../turn.js';
import type { Flow, FlowEngine } from '../flow.js';
import type { ChoiceWithAliases } from '../../messaging/choices.js';
import type { Member } from '../../store/roles.js';
import { villagesNamed } from '../../domain/villages.js';
import { canHandle, staffMember } from './access.js';
import { caseChoice, OFFERED, offerCases } from './pick.js';
import { applyTextAction } from './updates.js';
import { startReportFrom } from '../report/start.js';

/** A record of work is a sentence, not a word or two; offered only to staff who can handle an open case. */
const RECORD_WORDS = 5;
/** Words that tell work done, going on or planned: "đã gọi", "vừa đến", "a đang đi xuống", "sẽ đến", "chiều nay", "xong rồi". */
const TOLD_WORK = /(^| )(da|vua|dang|se|roi|xong|hen|chieu nay|sang nay|toi nay|hom nay|ngay mai)( |$)/;
/** A question, not a record: it ends in a question mark or a question word ("thế nào rồi", "sao rồi ạ"). */
const QUESTION = /\?\s*$|(^| )(khong|chua|nao|gi|sao|bao nhieu|o dau|the nao|duoc khong|dc ko|ko)( (roi|vay|a|nhi|ha|the|chua))*\s*$/;
/** A question about a case not named by its code: "vụ ở khuổi tát thế nào rồi", "trường hợp hôm qua sao rồi". */
const ABOUT_CASE = /(^| )(vu|vu viec|truong hop)( |$)/;
/** Asks for what only a case's details hold: the reporter, the child, the place, the evidence. */
const ASKS_DETAILS = /(^| )(sdt|so dt|so dien thoai|dien thoai|nguoi bao|dia chi|ten (tre|chau|be)|(tre|chau|be) ten|ten (la )?gi|bang chung|hinh anh|anh chup|chi tiet)( |$)/;

const NOTE_FLOW = 'officer-note-unnamed';
const NOT_NOW = 'none';
const NEW_CASE = 'new';

interface NoteDraft {
  text: string;
  cases: ChoiceWithAliases[];
  /** The case pressed, or NEW_CASE. */
  picked?: string;
}

const noteFlow = (flows: FlowEngine): Flow<NoteDraft> => ({
  name: NOTE_FLOW,
  offer: true,
  steps: [
    {
      id: 'case',
      prompt: (d) => ({
        text: 'Anh/chị muốn ghi nội dung này vào diễn biến vụ nào? Bấm một vụ dưới đây (nội dung chỉ được ghi khi anh/chị bấm).',
        choices: [
          ...d.cases,
          { label: '📝 Đây là vụ việc mới', value: NEW_CASE, aliases: ['vu moi', 'vu viec moi', 'bao cao moi'] },
          { label: 'Không ghi', value: NOT_NOW, aliases: ['khong', 'ko', 'k', 'thoi'] },
        ],
      }),
      // Only a pick reaches here: anything else passes the offer by (`offer`).
      answer(d, input) {
        if (input.choice !== NOT_NOW) d.picked = input.choice;
        return { done: true };
      },
    },
  ],
  async complete(d, ctx) {
    if (!d.picked) return void ctx.reply('Vâng, mình không ghi nội dung đó.');
    if (d.picked === NEW_CASE) return startReportFrom(ctx, flows, d.text);
    // Roles may have changed while the question was open.
    const member = await staffMember(ctx);
    if (!member) return void ctx.reply('Xin lỗi, bạn không còn quyền xử lý vụ việc này.');
    await applyTextAction(ctx, member, d.picked, 'note', d.text);
  },
});

async function offerRecord(ctx: TurnContext, flows: FlowEngine, member: Member): Promise<boolean> {
  // A case nobody has taken yet counts too: an officer who went to see the child before pressing
  // "Tiếp nhận" is writing about it, and their words are not a citizen's new report.
  const open = (await ctx.services.cases.listOpen(member.communeId)).filter((r) => canHandle(member, r));
  if (!open.length) return false;
  // Their own cases first: a record is most likely about a case they hold.
  const mine = [...open.filter((r) => r.assignee === member.identity), ...open.filter((r) => r.assignee !== member.identity)];
  const cases = mine.slice(0, OFFERED).map((r) => ({ ...caseChoice('note', r), value: r.code }));
  await flows.start<NoteDraft>(ctx, NOTE_FLOW, { text: ctx.text.trim(), cases });
  return true;
}

export function unnamedCaseFeature(flows: FlowEngine): Feature {
  flows.register(noteFlow(flows));
  return {
    name: 'officer-unnamed-case',
    async handle(ctx) {
      if (ctx.msg.choice || ctx.command || !ctx.text) return false;
      // The words first: most messages here are citizens', who need no lookup of a role.
      const question = QUESTION.test(ctx.folded);
      const details = ASKS_DETAILS.test(ctx.folded) || (question && ABOUT_CASE.test(ctx.folded));
      const record = !details && ctx.folded.split(' ').length >= RECORD_WORDS && TOLD_WORK.test(ctx.folded) && !question;
      const member = details || record ? await staffMember(ctx) : undefined;
      if (!member) return false;
      if (record) return offerRecord(ctx, flows, member);
      // A village named ("vụ ở khuổi tát"): its cases first, alone when it has any.
      const commune = ctx.commune(member.communeId);
      const villages = commune ? villagesNamed(ctx.text, commune).map((v) => v.name) : [];
      await offerCases(ctx, member, 'view', '/xem MÃ', villages.length ? (r) => villages.includes(r.village) : undefined);
      return true;
    },
  };
}

/**
 * Case handling by chat for staff: the entry point that reads an officer command and sends it to the
 * module doing it. Comes before the menu and status questions (features.ts), so "/help" shows staff
 * their commands and a note that happens to say "kiểm tra" is not taken for a status question.
 * Citizens who use an officer slash command get a polite refusal; typed look-alikes pass on to the
 * citizen features.
 */
import type { Feature, TurnContext } from '../turn.js';
import type { FlowEngine } from '../flow.js';
import { foldWords } from '../../text/vietnamese.js';
import { DELIVERY_ROLES } from '../../actions/dead-letter-notices.js';
import { READ_ROLES, STAFF_ONLY_TEXT, hasRole, staffMember } from './access.js';
import { approve, assign, isTextAction, moveCase, parseTarget, usageOf } from './updates.js';
import { offerCasesWithText, registerCaseTextFlow, textAction } from './text-flow.js';
import { listDeadLetters } from './dead-letters.js';
import { officerHelp } from './help.js';
import { caseButton, parseOfficerCommand, type OfficerCommand } from './parse.js';
import { listCases, viewCase } from './view.js';
import { offerCases } from './pick.js';
import type { Member } from '../../store/roles.js';

async function run(ctx: TurnContext, flows: FlowEngine, member: Member, cmd: OfficerCommand): Promise<void> {
  if (cmd.name === 'help') return void ctx.reply(officerHelp(member, ctx.commune(member.communeId)));
  if (cmd.name === 'deadletters') {
    if (!hasRole(member, DELIVERY_ROLES)) return void ctx.reply('Lệnh này dành cho cán bộ bảo vệ trẻ em và quản trị viên.');
    return listDeadLetters(ctx, member.communeId);
  }
  if (!hasRole(member, READ_ROLES)) return void ctx.reply('Lệnh này dành cho người xử lý vụ việc. Gửi /huongdan để xem các lệnh của bạn.');
  if (cmd.name === 'list') return listCases(ctx, member);

  const action = cmd.name;
  if (!cmd.code) {
    const usage = isTextAction(action) ? usageOf(action) : action === 'view' ? '/xem MÃ' : action === 'approve' ? '/duyet MÃ' : action === 'assign' ? '/giao MÃ tên người nhận' : '/capnhat MÃ đánh giá | hỗ trợ';
    // A closed case to reopen is not among the open ones; assigning and moving need more than a press.
    if (action !== 'reopen' && action !== 'assign' && action !== 'update') {
      return cmd.rest && isTextAction(action) ? offerCasesWithText(ctx, flows, member, action, cmd.rest) : offerCases(ctx, member, action, usage);
    }
    return void ctx.reply(`Xin gửi kèm mã vụ việc, ví dụ: ${usage.replace('MÃ', 'TE-7K3M9Q')}. Gửi /vuviec để xem các mã.`);
  }
  if (action === 'view') return viewCase(ctx, member, cmd.code);
  if (action === 'assess') return moveCase(ctx, member, cmd.code, 'assessing');
  if (action === 'intervene') return moveCase(ctx, member, cmd.code, 'intervening');
  if (action === 'approve') return approve(ctx, member, cmd.code, cmd.rest);
  if (action === 'assign') return assign(ctx, member, cmd.code, cmd.rest);
  if (action === 'update') {
    const target = parseTarget(foldWords(cmd.rest));
    if (target) return moveCase(ctx, member, cmd.code, target);
    return void ctx.reply(`Chuyển vụ việc ${cmd.code} sang bước nào? Gõ "/capnhat ${cmd.code} đánh giá" hoặc "/capnhat ${cmd.code} hỗ trợ".`, [
      { label: '🔍 Xác minh, đánh giá', value: caseButton('assess', cmd.code) },
      { label: '🤝 Hỗ trợ, can thiệp', value: caseButton('intervene', cmd.code) },
    ]);
  }
  if (isTextAction(action)) return textAction(ctx, flows, member, cmd.code, action, cmd.rest);
}

export function caseCommandsFeature(flows: FlowEngine): Feature {
  registerCaseTextFlow(flows);
  return {
    name: 'officer-cases',
    async handle(ctx) {
      const cmd = parseOfficerCommand(ctx);
      if (!cmd) return false;
      const member = await staffMember(ctx);
      if (!member) {
        // Help and typed words belong to the citizen side then; only a slash command is refused.
        if (cmd.typed || cmd.name === 'help') return false;
        ctx.services.log.info({ identity: ctx.identity, command: cmd.name }, 'officer command from non-staff');
        ctx.reply(STAFF_ONLY_TEXT);
        return true;
      }
      await run(ctx, flows, member, cmd);
      return true;
    },
  };
}

/**
 * Case work by chat: notes, lifecycle moves (acknowledged → assessing → plan approved → intervening),
 * emergency action, referral with a follow-up date, closing, reopening, a question to the reporter.
 * The rules and the steps are the shared actions' (src/actions/case-work.ts, which the web console
 * calls too); this answers in chat, offering the next steps as buttons. Actions that need words ask
 * for them in a one-step conversation when they came without them (text-flow.ts).
 */
import { applyTextAction as shared, approve as sharedApprove, assignCase, moveCase as sharedMove, type CaseAnswer, type TextAction } from '../../actions/case-work.js';
import type { CaseStatus } from '../../domain/case-status.js';
import type { Member } from '../../store/roles.js';
import { hasPhrase } from '../../text/vietnamese.js';
import type { TurnContext } from '../turn.js';
import { nextActions } from './view.js';

export { TEXT_ACTIONS, isTextAction, textActionProblem, usageOf, type TextAction } from '../../actions/case-work.js';

/** Replies with what the shared action answered, offering the next steps when it says so. */
function reply(ctx: TurnContext, a: CaseAnswer): void {
  ctx.reply(a.text, a.next ? nextActions(a.next) : undefined);
}

/** Reads the target of "/capnhat MÃ đánh giá | hỗ trợ". */
export function parseTarget(folded: string): CaseStatus | undefined {
  if (['danh gia', 'xac minh'].some((p) => hasPhrase(folded, p))) return 'assessing';
  if (['ho tro', 'can thiep'].some((p) => hasPhrase(folded, p))) return 'intervening';
  return undefined;
}

export async function moveCase(ctx: TurnContext, member: Member, code: string, target: CaseStatus): Promise<void> {
  reply(ctx, await sharedMove(ctx.services, member, code, target));
}

/** /duyet: the chair approves the support plan (the 5-working-day clock waits for this). */
export async function approve(ctx: TurnContext, member: Member, code: string, text: string): Promise<void> {
  reply(ctx, await sharedApprove(ctx.services, member, code, text));
}

/** /giao: a chair gives the case to a handler of the commune, named by name or role. */
export async function assign(ctx: TurnContext, member: Member, code: string, who: string): Promise<void> {
  reply(ctx, await assignCase(ctx.services, member, code, who));
}

export async function applyTextAction(ctx: TurnContext, member: Member, code: string, action: TextAction, text: string): Promise<void> {
  // Keyed by the message: a turn run again after a crash writes it once.
  reply(ctx, await shared(ctx.services, member, code, action, text, ctx.turnId));
}

/**
 * Which commune the person writing belongs to, for what we tell them (a hotline): one service serves
 * several communes over the same bot, so it is the commune of the role behind their address (their own or
 * the one who linked it), else the commune of their latest report, else the only commune there is;
 * unknown otherwise.
 */
import type { CommuneConfig } from '../config/communes.js';
import type { Member } from '../store/roles.js';
import type { TurnContext } from './turn.js';

/** The national child-protection line, for whom no commune is known. */
export const NATIONAL_CHILD_LINE = '111';

/** `member`: the one behind the writer's address (`memberBehind`), looked up once by the caller. */
export async function senderCommune(ctx: TurnContext, member: Member | undefined): Promise<CommuneConfig | undefined> {
  const own = member && ctx.commune(member.communeId);
  if (own) return own;
  const [latest] = await ctx.services.cases.listByReporter(ctx.identity, 1);
  const reported = latest && ctx.commune(latest.communeId);
  if (reported) return reported;
  return ctx.communes.length === 1 ? ctx.communes[0] : undefined;
}

/** The child hotline of the sender's commune, or the national line. */
export async function childLineFor(ctx: TurnContext, member: Member | undefined): Promise<string> {
  return (await senderCommune(ctx, member))?.hotlines.child ?? NATIONAL_CHILD_LINE;
}

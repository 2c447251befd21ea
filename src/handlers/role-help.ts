/**
 * The own help of a registered village head or staff member (on their channel or one linked to it), for
 * where a citizen gets the menu: a greeting, /start, "menu", a message not understood. Their work is
 * counts or cases, not the citizen's report-and-status menu.
 */
import { STAFF_ROLES } from '../actions/staff-roles.js';
import { officerHelp } from './cases/help.js';
import { VILLAGE_HEAD_HELP } from './counts/village-head.js';
import type { Member } from '../store/roles.js';
import type { TurnContext } from './turn.js';

/** Whether `member` (the one behind the writer's address, `memberBehind`) has help of their own. */
export function hasRoleHelp(member: Member | undefined): boolean {
  return member !== undefined && (member.role === 'village_head' || STAFF_ROLES.includes(member.role));
}

/** `member`: the one behind the writer's address (`memberBehind`), looked up once by the caller. */
export function roleHelp(ctx: TurnContext, member: Member | undefined): string | undefined {
  if (!member || !hasRoleHelp(member)) return undefined;
  return member.role === 'village_head' ? VILLAGE_HEAD_HELP : officerHelp(member, ctx.commune(member.communeId));
}

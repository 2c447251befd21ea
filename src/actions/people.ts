/**
 * How staff messages name a person: by role and name ("Cán bộ bảo vệ trẻ em Nguyễn Văn An"), by role
 * alone when no name is known, never by an internal id (docs/case-lifecycle.md, "People named as people").
 */
import { ROLE_LABEL, type Member } from '../store/roles.js';
import type { ActionDeps } from './deps.js';

export function memberName(member: Pick<Member, 'role' | 'name' | 'village'>): string {
  const role = ROLE_LABEL[member.role];
  const where = member.village ? ` ${member.village}` : '';
  return member.name ? `${role}${where} ${member.name}` : `${role}${where}`;
}

/** The person behind an identity, for staff; a neutral word when they hold no role now. */
export async function personName(services: Pick<ActionDeps, 'roles'>, identity: string, fallback = 'Cán bộ bảo vệ trẻ em'): Promise<string> {
  const member = await services.roles.get(identity);
  return member ? memberName(member) : fallback;
}

/** The member an address belongs to now: their own, or the role holder who linked it (/lienket). */
export async function memberBehind(services: Pick<ActionDeps, 'roles' | 'links'>, identity: string, own?: Promise<Member | undefined>): Promise<Member | undefined> {
  const mine = await (own ?? services.roles.get(identity));
  if (mine) return mine;
  const primary = await services.links.primaryOf(identity);
  return primary ? services.roles.get(primary) : undefined;
}

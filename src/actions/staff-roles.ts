/**
 * Who may do what, for every channel (chat commands and the web console alike): commune isolation and
 * the role rules of case work and counts, in one place (docs/domain.md §1, docs/console.md).
 */
import type { StaffRole } from '../config/communes.js';
import type { ReportSummary } from '../store/reports.js';
import type { Member } from '../store/roles.js';

/** Roles that handle cases: acknowledge, assess, intervene, refer, close. */
export const CASE_ROLES: readonly StaffRole[] = ['officer', 'chair', 'police'];
/** Roles that may read a case of their commune; the province follows cases but does not act. */
export const READ_ROLES: readonly StaffRole[] = [...CASE_ROLES, 'province'];
/** Village heads hold a role but send counts only: they are not staff for case commands. */
export const STAFF_ROLES: readonly StaffRole[] = [...READ_ROLES, 'admin'];
/** The staff who read commune totals and unlock periods. */
export const COUNTS_STAFF = ['officer', 'chair', 'admin'] as const;

export function hasRole(member: Member, roles: readonly StaffRole[]): boolean {
  return roles.includes(member.role);
}

/** May read the case: same commune and a reading role. */
export function canRead(member: Member, report: Pick<ReportSummary, 'communeId'>): boolean {
  return member.communeId === report.communeId && hasRole(member, READ_ROLES);
}

/**
 * May act on the case: same commune and a case-handling role. The province follows cases without
 * acting, except on a case it took itself (an escalated emergency it acknowledged).
 */
export function canHandle(member: Member, report: Pick<ReportSummary, 'communeId' | 'assignee'>): boolean {
  if (member.communeId !== report.communeId) return false;
  return hasRole(member, CASE_ROLES) || (member.role === 'province' && report.assignee === member.identity);
}

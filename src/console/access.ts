/**
 * Who may open which part of the console. Case rules are the chat commands' own, shared
 * (src/actions/staff-roles.ts), never restated; the console only adds which page belongs to which of them.
 * Citizens and village heads have no console at all.
 */
import type { StaffRole } from '../config/communes.js';
import { DELIVERY_ROLES } from '../actions/dead-letter-notices.js';
import { COUNTS_STAFF, READ_ROLES, STAFF_ROLES, canHandle, canRead, hasRole } from '../actions/staff-roles.js';
import type { Member } from '../store/roles.js';

export { canHandle, canRead, hasRole };

export type Section = 'cases' | 'counts' | 'reports' | 'audit' | 'deadletters' | 'queues';

export const SECTION_ROLES: Record<Section, readonly StaffRole[]> = {
  cases: READ_ROLES,
  // The province reads the totals of its communes; chat's counts staff read their own commune's.
  counts: [...COUNTS_STAFF, 'province'],
  reports: [...COUNTS_STAFF, 'province'],
  // domain: the audit log is for the commune's chair and the administrators.
  audit: ['chair', 'admin'],
  deadletters: DELIVERY_ROLES,
  queues: ['admin'],
};

/** Roles that get a console at all: the staff, as for chat's staff commands (the sections' roles together). */
export const CONSOLE_ROLES: readonly StaffRole[] = STAFF_ROLES;

export function mayOpen(member: Member, section: Section): boolean {
  return hasRole(member, SECTION_ROLES[section]);
}

export function hasConsole(member: Member | undefined): member is Member {
  return member !== undefined && hasRole(member, CONSOLE_ROLES);
}

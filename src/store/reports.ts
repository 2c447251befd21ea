/**
 * The report (case) record in Redis: its shape and its key layout. Public fields (code, commune,
 * category, urgency and what put it there, village, status, dates) sit in a hash in the clear so indexes and alerts work;
 * everything personal sits in one AES-GCM sealed field. Indexes: by commune (sorted by time), by commune
 * and status, by reporter (HMAC of the identity). Only the case store (cases.ts) writes these keys.
 */
import type { StaffRole, Urgency } from '../config/communes.js';
import type { CategoryKey } from '../domain/categories.js';
import type { CaseStatus } from '../domain/case-status.js';
import type { Media } from '../messaging/message.js';
import { sealedAt } from './crypto.js';

/** The child's sex as the reporter told it; `ca_hai` for several children, boys and girls. */
export type ChildSex = 'nam' | 'nu' | 'ca_hai' | 'khong_ro';

/** What only the officers handling the case may see. */
export interface ReportDetails {
  description: string;
  when?: string;
  child: { name?: string; age?: string; sex?: ChildSex };
  extra?: string;
  /** `self`: the first message read as the child telling of harm to themselves. */
  reporter: { identity: string; name?: string; phone?: string; self?: boolean };
  attachments: Media[];
}

export interface ReportSummary {
  code: string;
  communeId: string;
  category: CategoryKey;
  urgency: Urgency;
  /** What put the report at its level (domain/urgency.ts `urgencyReasons`): cue ids and the like, never the story's words. */
  reasons?: string[];
  alertRoles: StaffRole[];
  village: string;
  inDanger: 'yes' | 'no' | 'unknown';
  status: CaseStatus;
  channel: string;
  createdAt: number;
  updatedAt: number;
  assignee?: string;
  /** How many times the case was reopened after being closed (the reporter's notices start again each time). */
  reopenings: number;
}

export interface NewReport extends Omit<ReportSummary, 'code' | 'status' | 'createdAt' | 'updatedAt' | 'assignee' | 'reopenings'> {
  details: ReportDetails;
}

export const reportKey = (code: string) => `report:${code}`;
export const communeIndex = (communeId: string) => `idx:commune:${communeId}`;
export const statusIndex = (communeId: string, status: CaseStatus) => `idx:commune:${communeId}:status:${status}`;
export const reporterIndex = (blind: string) => `idx:reporter:${blind}`;
export const timelineKey = (code: string) => `case:${code}:timeline`;
/** The context the sealed details are bound to (crypto.ts): this report's `sealed` field. */
export const detailsAt = (code: string) => sealedAt(reportKey(code), 'sealed');
/** Reports saved but whose alert has not been handed to the queue yet: swept on start (nothing lost). */
export const PENDING_ALERTS = 'alerts:pending';

export function toSummary(code: string, h: Record<string, string>): ReportSummary {
  return {
    code,
    communeId: h.communeId ?? '',
    category: h.category as CategoryKey,
    urgency: h.urgency as Urgency,
    ...(h.reasons && { reasons: JSON.parse(h.reasons) as string[] }),
    alertRoles: JSON.parse(h.alertRoles ?? '[]') as StaffRole[],
    village: h.village ?? '',
    inDanger: (h.inDanger ?? 'unknown') as ReportSummary['inDanger'],
    status: h.status as CaseStatus,
    channel: h.channel ?? '',
    createdAt: Number(h.createdAt),
    updatedAt: Number(h.updatedAt),
    assignee: h.assignee || undefined,
    reopenings: Number(h.reopenings ?? 0),
  };
}

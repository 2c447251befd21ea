/** Vietnamese wording shared by the officer commands: times, people, one-line case summaries. */
import { STATUS_LABEL } from '../../domain/case-status.js';
import { CATEGORIES } from '../../domain/categories.js';
import { URGENCY_LABEL } from '../../domain/urgency.js';
import type { Urgency } from '../../config/communes.js';
import type { Services } from '../context.js';
import type { ReportSummary } from '../../store/reports.js';
import { ROLE_LABEL } from '../../store/roles.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const DEFAULT_TZ = 'Asia/Ho_Chi_Minh';

/** Coarse age, enough to sort priorities by eye: "vừa xong", "25 phút trước", "2 giờ trước", "3 ngày trước". */
export function ago(at: number, now: number): string {
  const d = Math.max(0, now - at);
  if (d < MINUTE) return 'vừa xong';
  if (d < HOUR) return `${Math.floor(d / MINUTE)} phút trước`;
  if (d < DAY) return `${Math.floor(d / HOUR)} giờ trước`;
  return `${Math.floor(d / DAY)} ngày trước`;
}

/** "14:05 03/11/2025" in the commune's time zone. */
export function formatTime(at: number, tz: string): string {
  const parts = new Intl.DateTimeFormat('vi-VN', { timeZone: tz, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('hour')}:${get('minute')} ${get('day')}/${get('month')}/${get('year')}`;
}

export const URGENCY_MARK: Record<Urgency, string> = { P0: '🔴', P1: '🟠', P2: '🟡', P3: '⚪' };

export function urgencyText(u: Urgency): string {
  return `${URGENCY_MARK[u]} ${URGENCY_LABEL[u]}`;
}

export function categoryLabel(key: string): string {
  return CATEGORIES.find((c) => c.key === key)?.label ?? key;
}

/**
 * Names a person for other staff: "bạn", a staff member by role, or a neutral word for the reporter and
 * the system. Staff ids are shown so two officers can be told apart; no citizen id is ever shown.
 */
export async function personLabel(services: Pick<Services, 'roles'>, identity: string | undefined, viewer?: string): Promise<string> {
  if (!identity) return 'chưa có ai nhận';
  if (identity === viewer) return 'bạn';
  if (identity === 'system') return 'hệ thống';
  if (identity === 'reporter') return 'người báo';
  const member = await services.roles.get(identity);
  return member ? `${ROLE_LABEL[member.role]} (${identity})` : 'người không còn vai trò';
}

/** One line per case for /vuviec: no child details, no reporter. */
export async function caseLine(services: Pick<Services, 'roles'>, r: ReportSummary, viewer: string, now: number): Promise<string> {
  return (
    `${URGENCY_MARK[r.urgency]} ${r.code} · ${URGENCY_LABEL[r.urgency]} · ${categoryLabel(r.category)} · ${r.village || 'chưa rõ thôn'}\n` +
    `   ${ago(r.createdAt, now)} · ${STATUS_LABEL[r.status]} · người giữ: ${await personLabel(services, r.assignee, viewer)}`
  );
}

/**
 * The words of an alert and what follows it: code, category, urgency and what made it so, village, when it came in (never
 * a name, a phone, a description or who reported), the "Tiếp nhận" button and its hint, and the
 * "Mở trên máy tính" button when the web console is on.
 */
import { formatLocal, timeAgo } from '../domain/local-time.js';
import type { CommuneConfig, StaffRole, Urgency } from '../config/communes.js';
import type { Choice, OutgoingMessage } from '../messaging/message.js';
import { categoryOf } from '../domain/categories.js';
import { urgencyText } from '../domain/urgency.js';
import type { ReportSummary } from '../store/reports.js';
import { ROLE_LABEL } from '../store/roles.js';
import { urgencyWhy } from './case-wording.js';

export const ACK_PREFIX = 'ack:';

export function ackChoice(code: string, label = 'Tiếp nhận'): Choice {
  return { label, value: `${ACK_PREFIX}${code}` };
}

export const WEB_PREFIX = 'web:';

/** The button under alerts and cases that sends a sign-in link opening the case on the web console. */
export function webChoice(code: string): Choice {
  return { label: '💻 Mở trên máy tính', value: `${WEB_PREFIX}${code}` };
}

/**
 * The facts an alert may carry. Only fields that are public in the report hash: no child, no reporter,
 * no description (those stay sealed until an officer opens the case with /xem).
 */
export function caseLines(report: ReportSummary, commune: CommuneConfig, now: number): string[] {
  return [
    `• Mã: ${report.code}`,
    `• Loại: ${categoryOf(report.category).label}`,
    `• Mức độ: ${urgencyText(report.urgency)}`,
    ...why(report),
    `• Thôn/xóm: ${report.village}`,
    `• Nhận lúc: ${formatLocal(report.createdAt, commune.timezone)} (${timeAgo(report.createdAt, now)})`,
  ];
}

/** The line saying what made the report urgent, when there is one ("• Khẩn cấp vì: …"). */
export function why(report: ReportSummary): string[] {
  const text = urgencyWhy(report);
  return text ? [`• ${text}`] : [];
}

export function ackHint(code: string): string {
  return `Bấm "Tiếp nhận" hoặc gửi /nhan ${code} để nhận xử lý vụ việc.`;
}

export const ALERT_HEADING: Record<Urgency, string> = {
  P0: '🚨 KHẨN CẤP: có báo cáo mới cần tiếp nhận ngay',
  P1: '⚠️ Báo cáo mới mức Cao, cần tiếp nhận trong ngày',
  P2: '📋 Báo cáo mới mức Trung bình',
  P3: 'ℹ️ Câu hỏi, xin tư vấn',
};

/** `web`: the web console is on, so the alert offers to open the case there too. */
export function alertMessage(report: ReportSummary, commune: CommuneConfig, now: number, heading = ALERT_HEADING[report.urgency], web = false): OutgoingMessage {
  return {
    text: [heading, `Xã: ${commune.name}`, ...caseLines(report, commune, now), ackHint(report.code)].join('\n'),
    choices: web ? [ackChoice(report.code), webChoice(report.code)] : [ackChoice(report.code)],
  };
}

export function rolesText(roles: readonly StaffRole[]): string {
  return roles.map((r) => ROLE_LABEL[r]).join(', ');
}

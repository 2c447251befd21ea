/** The report being written, and what follows from it (urgency, who is alerted, the summary shown). */
import type { CommuneConfig, StaffRole, Urgency } from '../../config/communes.js';
import { categoryOf, type CategoryKey } from '../../domain/categories.js';
import { decideUrgency, URGENCY_LABEL, urgencyReasons, type FiredCue, type UrgencyInput } from '../../domain/urgency.js';
import { formatDay, localDay, shiftDay } from '../../domain/local-time.js';
import { daysBefore } from '../../nlu/story-facts.js';
import type { Media, MediaKind } from '../../messaging/message.js';
import type { ChildSex } from '../../store/reports.js';
import type { TurnContext } from '../turn.js';

export interface ReportDraft {
  /** Makes saving idempotent: a confirmation handled twice (a retry after a crash) saves one report. */
  draftId: string;
  communeId?: string;
  category?: CategoryKey;
  village?: string;
  description?: string;
  /** A first message too vague to be the story ("thương thằng bé quá"): put before the story once told. */
  opening?: string;
  attachments: Media[];
  when?: string;
  childAge?: string;
  childSex?: ChildSex;
  inDanger?: 'yes' | 'no' | 'unknown';
  childName?: string;
  extra?: string;
  wantsContact?: boolean;
  reporterName?: string;
  reporterPhone?: string;
  /** The most urgent level the classifier read in what the person wrote, each text read once. */
  textUrgency?: Urgency;
  /** The severity cues that fired in what the person wrote: the officers are told which made it urgent. */
  cues?: FiredCue[];
  /** Likely categories to offer when the story did not make one clear, best first. */
  suggested?: CategoryKey[];
  /** The emergency numbers were already shown once. */
  warned?: boolean;
  /** The first message reads as a child telling of harm to themselves (src/nlu/self-report.ts). */
  self?: boolean;
}

export const UNKNOWN_VILLAGE = 'Không rõ';
/** The answer to "when?" for harm going on as the person writes. */
export const HAPPENING_NOW = 'Đang xảy ra';
/** A time as said back when kept, inside the sentence, so not capitalised ("Mình đã ghi: thời gian hôm kia"). */
export function timeTold(when: string): string {
  return `thời gian ${when.charAt(0).toLowerCase()}${when.slice(1)}`;
}
/** A child's sex as said back when kept ("Mình đã ghi: bé gái"). */
export const SEX_TOLD: Record<ChildSex, string> = { nam: 'bé trai', nu: 'bé gái', ca_hai: 'cả bé trai và bé gái', khong_ro: 'không rõ trai hay gái' };

/** The commune the report is about: the one chosen, else the only (or first) one configured. */
export function communeOf(d: ReportDraft, ctx: TurnContext): CommuneConfig {
  const c = ctx.commune(d.communeId ?? '') ?? ctx.communes[0];
  if (!c) throw new Error('no commune configured');
  return c;
}

/** A prompt as said to a grown-up reporter, or to a child telling of harm to themselves. */
export function spoken(d: ReportDraft, toAdult: string, toChild: string): string {
  return d.self ? toChild : toAdult;
}

/** Before a category is chosen a story still counts: read as "Việc khác", which the text can only raise. */
export function draftUrgency(d: ReportDraft): Urgency {
  if (!d.category && !d.textUrgency) return 'P3';
  return decideUrgency(urgencyInput(d));
}

/** Why the draft is at its level (domain rule): saved with the report for the officers. */
export function draftReasons(d: ReportDraft): string[] {
  if (!d.category && !d.textUrgency) return [];
  return urgencyReasons({ ...urgencyInput(d), cues: d.cues ?? [] });
}

function urgencyInput(d: ReportDraft): UrgencyInput {
  const inDanger = d.inDanger === 'yes' ? true : d.inDanger === 'no' ? false : d.inDanger === 'unknown' ? undefined : null;
  return { category: d.category ?? 'other', textUrgency: d.textUrgency, inDanger };
}

const MEDIA_LABEL: Record<MediaKind, string> = {
  photo: 'ảnh',
  file: 'tệp',
  voice: 'tin nhắn thoại',
  video: 'video',
  location: 'vị trí',
  sticker: 'nhãn dán',
  other: 'nội dung khác',
};

/** "2 ảnh, 1 tệp, 1 vị trí": what is attached, by kind, in the order first sent. */
export function attachmentsText(media: readonly Media[]): string {
  const counts = new Map<MediaKind, number>();
  for (const m of media) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${MEDIA_LABEL[kind]}`).join(', ');
}

export function alertRolesFor(commune: CommuneConfig, urgency: Urgency): StaffRole[] {
  return [...commune.alerts[urgency]];
}

/**
 * "Hôm qua (02/12/2026)": a time told relative to the report, dated in the commune's calendar, since the
 * case is read days or weeks later. A time that already has a date, or a vague one, stays as it is.
 */
export function datedWhen(when: string | undefined, at: number, timezone: string): string | undefined {
  if (!when || /\d{1,2}\/\d{1,2}/.test(when)) return when;
  const days = daysBefore(when);
  return days === undefined ? when : `${when} (${formatDay(shiftDay(localDay(at, timezone), -days))})`;
}

const SEX_LABEL: Record<ChildSex, string> = { nam: 'Nam', nu: 'Nữ', ca_hai: 'Cả nam và nữ', khong_ro: 'Không rõ' };

export function summarize(d: ReportDraft, commune: CommuneConfig): string {
  const lines = [
    '📋 Xin kiểm tra lại báo cáo:',
    `• Xã: ${commune.name}`,
    `• Vấn đề: ${d.category ? categoryOf(d.category).label : '—'}`,
    `• Thôn/xóm: ${d.village ?? UNKNOWN_VILLAGE}`,
    `• Sự việc: ${d.description ?? '—'}`,
  ];
  if (d.attachments.length) lines.push(`• Tệp đính kèm: ${attachmentsText(d.attachments)}`);
  lines.push(
    `• Thời gian: ${d.when ?? 'Không rõ'}`,
    `• Trẻ: ${d.childName ? `${d.childName}, ` : ''}${d.childAge ?? 'không rõ tuổi'}, giới tính ${SEX_LABEL[d.childSex ?? 'khong_ro'].toLowerCase()}`,
    `• Đang gặp nguy hiểm: ${d.inDanger === 'yes' ? 'Có' : d.inDanger === 'no' ? 'Không' : 'Không rõ'}`,
  );
  if (d.extra) lines.push(`• Thông tin thêm: ${d.extra}`);
  lines.push(d.wantsContact ? `• Người báo: ${[d.reporterName, d.reporterPhone].filter(Boolean).join(', ')}` : '• Người báo: ẩn danh');
  lines.push(`• Mức độ: ${URGENCY_LABEL[draftUrgency(d)]}`);
  return lines.join('\n');
}

/** Shown at once when a report turns out to be an emergency. */
export function emergencyNotice(commune: CommuneConfig, self = false): string {
  const h = commune.hotlines;
  const province = h.province ? `\nĐường dây của tỉnh: ${h.province}.` : '';
  if (self) {
    // Spoken to the child: their own line first, and somewhere safe to go.
    return (
      `⚠️ Nếu em đang gặp nguy hiểm, hãy gọi ngay ${h.child} (Tổng đài bảo vệ trẻ em, miễn phí, 24/7) hoặc ${h.police} (Công an).\n` +
      'Nếu được, em hãy sang nhà một người lớn em tin (hàng xóm, thầy cô, người thân) và ở đó.' +
      province +
      '\nEm trả lời tiếp vài câu ngắn để cán bộ xã đến giúp em nhé.'
    );
  }
  return (
    '⚠️ Đây có thể là trường hợp khẩn cấp.\n' +
    `Nếu trẻ đang gặp nguy hiểm ngay lúc này, hãy gọi ngay ${h.police} (Công an) hoặc ${h.ambulance} (Cấp cứu).\n` +
    `Tổng đài quốc gia bảo vệ trẻ em ${h.child} miễn phí, 24/7.` +
    province +
    '\nBạn vẫn nên hoàn thành báo cáo này để cán bộ xã nhận được ngay.'
  );
}

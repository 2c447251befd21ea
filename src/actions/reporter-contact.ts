/**
 * Talking with the person who reported, without either side learning who the other is: the holder's
 * question reaches the reporter's chat as from "Cán bộ xã"; the reporter's answers, additions and
 * corrections reach the case's timeline (sealed) and its holder (or the commune's officers while nobody
 * holds it). The reporter stays anonymous unless they left contact details in the report. Shared by the
 * chat commands and the web console.
 */
import type { CommuneConfig } from '../config/communes.js';
import { matchVillage } from '../domain/villages.js';
import { addressOfIdentity, CHANNELS, type Channel } from '../messaging/message.js';
import type { TimelineKind } from '../store/cases.js';
import type { ReportDetails, ReportSummary } from '../store/reports.js';
import type { ActionDeps } from './deps.js';
import { notifyIdentities } from './notify.js';

const MAX_TEXT = 2000;

/** Identities of people on a channel we can send to (a report entered for someone else may have none). */
export function isChatIdentity(identity: string): boolean {
  return CHANNELS.includes(identity.slice(0, identity.indexOf(':')) as Channel);
}

export type AskResult = 'sent' | 'no_channel' | 'not_holder';

/** The holder's question to the reporter. Only the person holding the case may ask. */
export async function askReporter(services: ActionDeps, report: ReportSummary, asker: string, question: string, onceId: string): Promise<AskResult> {
  if (report.assignee !== asker) return 'not_holder';
  const reporter = await services.cases.reporterIdentity(report.code);
  if (!reporter || !isChatIdentity(reporter)) return 'no_channel';
  const now = services.now();
  const text = question.slice(0, MAX_TEXT);
  await services.outbox.enqueue({
    to: addressOfIdentity(reporter),
    message: {
      text: `💬 Cán bộ xã hỏi thêm về báo cáo ${report.code} của bạn:\n${text}\n\nBạn trả lời bằng cách gửi: trả lời ${report.code} nội dung. Bạn không phải cho biết tên nếu không muốn.`,
    },
    // Blinded like the status notices: nothing readable links the reporter's chat to the case.
    // Once per officer's message (onceId): a turn run again after a crash asks once.
    key: `question:${services.cipher.blind(`${report.code}:${reporter}`)}:${onceId}`,
    communeId: report.communeId,
    preview: `câu hỏi của cán bộ xã cho người báo ${report.code}`,
  });
  await services.cases.addEntryOnce(report.code, `question-${onceId}`, { at: now, actor: asker, kind: 'reporter_question', text });
  return 'sent';
}

const FORWARD_HEADING: Partial<Record<TimelineKind, string>> = {
  reporter_addition: '📎 Người báo bổ sung thông tin cho vụ việc',
  reporter_answer: '💬 Người báo trả lời câu hỏi về vụ việc',
  reporter_correction: '✏️ Người báo sửa thông tin của vụ việc',
};

/** Who reads what the reporter sends: the holder, else the commune's officers. */
async function caseReaders(services: Pick<ActionDeps, 'roles'>, report: ReportSummary): Promise<string[]> {
  if (report.assignee) return [report.assignee];
  return (await services.roles.members(report.communeId, 'officer')).map((m) => m.identity);
}

/**
 * Something the reporter sent about their case: into the timeline once per incoming message (`onceId`),
 * and on to the readers. Returns who it was forwarded to.
 */
export async function fromReporter(services: ActionDeps, report: ReportSummary, kind: 'reporter_addition' | 'reporter_answer', text: string, onceId: string): Promise<string[]> {
  const body = text.slice(0, MAX_TEXT);
  // Actor "reporter": the audit log is readable by admins and must not name the reporter.
  await services.cases.addEntryOnce(report.code, `${kind}-${onceId}`, { at: services.now(), actor: 'reporter', kind, text: body });
  return forward(services, report, kind, body, onceId);
}

async function forward(services: ActionDeps, report: ReportSummary, kind: TimelineKind, body: string, onceId: string): Promise<string[]> {
  const to = await caseReaders(services, report);
  const sent = await notifyIdentities(
    services,
    to,
    { text: `${FORWARD_HEADING[kind]} ${report.code}:\n${body}`, choices: [{ label: '📁 Xem vụ việc', value: `case:view:${report.code}` }] },
    // One delivery per incoming message: a platform's retry of the same update is not sent twice.
    `${kind === 'reporter_addition' ? 'addition' : kind}:${report.code}:${onceId}`,
    report.communeId,
    `người báo gửi thêm về ${report.code}`,
  );
  if (!sent.length) services.log.warn({ code: report.code, communeId: report.communeId }, 'reporter message: no officer to forward to');
  return sent;
}

/** The details a reporter may correct, by the words they use for them (folded). */
export const CORRECTABLE = {
  village: { words: ['thon', 'xom', 'thon xom', 'dia chi'], label: 'Thôn/xóm' },
  description: { words: ['mo ta', 'su viec', 'noi dung'], label: 'Sự việc' },
  when: { words: ['thoi diem', 'thoi gian', 'luc', 'ngay'], label: 'Thời điểm' },
  childName: { words: ['ten tre', 'ten chau', 'ten be'], label: 'Tên trẻ' },
  childAge: { words: ['tuoi', 'tuoi tre'], label: 'Tuổi của trẻ' },
  phone: { words: ['sdt', 'so dien thoai', 'dien thoai'], label: 'Số điện thoại người báo' },
  reporterName: { words: ['ten nguoi bao', 'ten toi', 'ten minh'], label: 'Tên người báo' },
} as const;
export type CorrectableField = keyof typeof CORRECTABLE;

function apply(d: ReportDetails, field: CorrectableField, value: string): string {
  const swap = (before: string | undefined, set: () => void) => (set(), before ?? '');
  if (field === 'description') return swap(d.description, () => (d.description = value));
  if (field === 'when') return swap(d.when, () => (d.when = value));
  if (field === 'childName') return swap(d.child.name, () => (d.child.name = value));
  if (field === 'childAge') return swap(d.child.age, () => (d.child.age = value));
  if (field === 'phone') return swap(d.reporter.phone, () => (d.reporter.phone = value));
  return swap(d.reporter.name, () => (d.reporter.name = value));
}

export type CorrectResult = { result: 'corrected'; label: string } | { result: 'unknown_village' } | { result: 'not_found' };

/** The reporter corrects one detail of their report; the old value stays in the timeline. */
export async function correctReport(services: ActionDeps, report: ReportSummary, commune: CommuneConfig, field: CorrectableField, value: string, onceId: string): Promise<CorrectResult> {
  const after = value.trim().slice(0, MAX_TEXT);
  const { label } = CORRECTABLE[field];
  let village: string | undefined;
  if (field === 'village') {
    village = matchVillage(after, commune);
    if (!village) return { result: 'unknown_village' };
  }
  const ok = await services.cases.correctDetails(
    report.code,
    (d) => (village ? { label, before: report.village, after: village, village } : { label, before: apply(d, field, after), after }),
    services.now(),
  );
  if (!ok) return { result: 'not_found' };
  await forward(services, { ...report, village: village ?? report.village }, 'reporter_correction', `${label}: ${village ?? after}`, onceId);
  return { result: 'corrected', label };
}

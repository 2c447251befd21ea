/**
 * Notices to the person who reported: only the coarse status (Đã nhận → Đang xử lý → Đã chuyển cơ quan
 * chức năng → Đã xử lý xong, and "mở lại" when a closed case is reopened), never an officer's notes, and
 * once per coarse status (a reopening starts again). Registered on the CaseStore by the wiring
 * (src/app/runtime.ts), so every status change (acknowledgement included) passes through
 * `notifyReporterOfStatus`.
 */
import { coarseStatus, type CoarseStatus } from '../domain/case-status.js';
import { addressOfIdentity } from '../messaging/message.js';
import type { StatusChange } from '../store/cases.js';
import type { ActionDeps } from './deps.js';
import { isChatIdentity } from './reporter-contact.js';

const NOTICE_TEXT: Record<CoarseStatus, (code: string) => string> = {
  received: (code) => `Báo cáo ${code} của bạn đã được ghi nhận.`,
  in_progress: (code) => `Báo cáo ${code} của bạn đã được cán bộ xã tiếp nhận và đang được xử lý. Cảm ơn bạn đã lên tiếng vì trẻ em.`,
  referred: (code) =>
    `Báo cáo ${code} của bạn đã được cán bộ xã chuyển tới cơ quan chức năng để xử lý tiếp. Cán bộ xã vẫn theo dõi vụ việc.\n` +
    `Nếu có thêm thông tin, bạn gửi "bổ sung ${code} …".`,
  done: (code) =>
    `Báo cáo ${code} của bạn đã được xử lý xong. Cảm ơn bạn đã lên tiếng vì trẻ em.\n` +
    `Nếu có thêm thông tin, bạn gửi "bổ sung ${code} …".`,
};

/** After "xử lý xong", a reopening must be said as such: the person was told it was over. */
const REOPENED_TEXT = (code: string) =>
  `Báo cáo ${code} của bạn đã được cán bộ xã mở lại để xử lý tiếp. Cảm ơn bạn đã lên tiếng vì trẻ em.\n` +
  `Nếu có thêm thông tin, bạn gửi "bổ sung ${code} …".`;

/**
 * The same notices to a child who told of their own harm: as "em", in plain words (no "báo cáo", no
 * "cơ quan chức năng"), and the child line again; the reopening is "helping you again".
 */
const TELL_MORE = (code: string) => `Em muốn kể thêm thì nhắn "bổ sung ${code} …".`;
const CHILD_TEXT: Record<CoarseStatus | 'reopened', (code: string) => string> = {
  received: (code) => `Xã đã nhận tin của em (mã ${code}).`,
  in_progress: (code) => `Cán bộ xã đã nhận tin của em (mã ${code}) và đang tìm cách giúp em. Nếu em gặp nguy hiểm, gọi ngay 111.`,
  referred: (code) => `Cán bộ xã đã nhờ thêm những người có trách nhiệm cùng giúp em (mã ${code}); cán bộ xã vẫn theo dõi.\n${TELL_MORE(code)}`,
  done: (code) => `Cán bộ xã đã làm xong phần việc giúp em (mã ${code}). Nếu em lại gặp chuyện, em cứ nhắn cho xã hoặc gọi 111.\n${TELL_MORE(code)}`,
  reopened: (code) => `Cán bộ xã đang tiếp tục giúp em (mã ${code}).\n${TELL_MORE(code)}`,
};


/**
 * Tells the reporter when the coarse status changed. Safe to call more than once for one change: the
 * outbox key delivers it once. The key and the dead-letter preview are blinded: nothing readable in
 * Redis may link a reporter's chat to a case (the chat id itself must stay readable to be sent to).
 */
export async function notifyReporterOfStatus(services: Pick<ActionDeps, 'cases' | 'outbox' | 'now' | 'cipher'>, change: StatusChange): Promise<void> {
  const { report } = change;
  const coarse = coarseStatus(report.status);
  if (coarse === coarseStatus(change.before)) return;
  const who = await services.cases.reporterOf(report.code);
  const reporter = who?.identity;
  if (!reporter || !isChatIdentity(reporter)) return;
  // Each reopening starts a new round of notices (once per coarse status within a round).
  const round = report.reopenings;
  const inRound = round === 0 ? coarse : `${coarse}:r${round}`;
  const reopened = change.before === 'closed';
  const text = who.self
    ? CHILD_TEXT[reopened ? 'reopened' : coarse](report.code)
    : reopened
      ? REOPENED_TEXT(report.code)
      : NOTICE_TEXT[coarse](report.code);
  await services.outbox.enqueue({
    to: addressOfIdentity(reporter),
    message: { text },
    key: `status:${services.cipher.blind(`${report.code}:${reporter}`)}:${inRound}`,
    communeId: report.communeId,
    // The code stays in the preview: officers must see which case's reporter could not be told.
    preview: `thông báo trạng thái ${report.code} cho người báo`,
  });
  await services.cases.addEntryOnce(report.code, `reporter-notified-${inRound}`, { at: services.now(), actor: 'system', kind: 'reporter_notified', text: coarse });
}

/** The listener the wiring registers with `cases.onStatusChange`; a failed notice never undoes the change. */
export function reporterNoticeListener(services: Pick<ActionDeps, 'cases' | 'outbox' | 'now' | 'log' | 'cipher'>): (change: StatusChange) => Promise<void> {
  return async (change) => {
    try {
      await notifyReporterOfStatus(services, change);
    } catch (err) {
      services.log.error({ code: change.report.code, err: (err as Error).message }, 'reporter status notice failed');
    }
  };
}

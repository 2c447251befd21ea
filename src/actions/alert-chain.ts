/**
 * An alert always reaches a person who can act (docs/case-lifecycle.md, "Nobody left unaware"). The
 * escalation steps (escalation.ts, src/jobs/escalation.ts) move along the chain when nobody acknowledges
 * in time; this module moves it on at once when nobody who was told can be reached:
 * - an alert the outbox gives up on (blocked bot, unfollowed OA, outside the Zalo window with no linked
 *   channel, role revoked, retries used up) is a `skipped` entry in the timeline, and its recipient is
 *   no longer counted as reached;
 * - when nobody counted as reached is left, the next step of the chain runs now instead of after
 *   `ackMinutes`; past the end of the chain the province officers and the admins are told (once), and
 *   rounds every `ackMinutes` keep trying everyone on the chain on every channel they have;
 * - a person who registers for a role is alerted at once about the open cases waiting for that role.
 *
 * Redis keys (kept 180 days like the recipients): `alerts:skipped:<code>` identities the alert could not
 * reach; `alerts:step:<code>` (escalation.ts) the last step that alerted.
 */
import { createHash } from 'node:crypto';
import type { CommuneConfig } from '../config/communes.js';
import { categoryOf } from '../domain/categories.js';
import { urgencyText } from '../domain/urgency.js';
import type { ReportSummary } from '../store/reports.js';
import type { Member } from '../store/roles.js';
import { alertMessage } from './alert-text.js';
import { alertedIdentities, awaitingAck, communeOf, loadCase, recordRecipients, withCaseLock } from './case-alerts.js';
import type { ActionDeps } from './deps.js';
import { ackDelayMs, chainFor, escalationSteps, rolesForStep, runEscalationNow, scheduleEscalation, stepKey } from './escalation.js';
import { notifyIdentity, notifyRoles } from './notify.js';
import type { DeadLetter, DeadLetterReason } from './outbox/dead-letters.js';
import { memberName } from './people.js';

const TTL_SECONDS = 180 * 86400;
export const skippedKey = (code: string): string => `alerts:skipped:${code}`;

const SKIP_REASON: Record<DeadLetterReason, string> = {
  unreachable: 'đã chặn hoặc bỏ theo dõi kênh',
  outside_window: 'quá 7 ngày không nhắn Zalo và chưa liên kết kênh khác',
  not_staff: 'không còn giữ vai trò',
  permanent: 'nền tảng từ chối tin nhắn',
  retries_exhausted: 'gửi nhiều lần vẫn lỗi',
  invalid: 'tin nhắn lỗi',
  failed: 'lỗi khi gửi',
};

/** The case an alert key is about: `alert:<code>:…` (digests, keyed by batch, are not). */
export function alertCode(key: string): string | undefined {
  return /^alert:(TE-[0-9A-Z]{6}):/.exec(key)?.[1];
}

export async function recordStep(services: Pick<ActionDeps, 'redis'>, code: string, step: number): Promise<void> {
  await services.redis.set(stepKey(code), String(step), 'EX', TTL_SECONDS);
}

async function currentStep(services: Pick<ActionDeps, 'redis'>, code: string): Promise<number> {
  return Number((await services.redis.get(stepKey(code))) ?? 0);
}

/** People told about the case who may still get it: alerted, and not given up on. */
export async function reachedIdentities(services: Pick<ActionDeps, 'redis'>, code: string): Promise<string[]> {
  const skipped = new Set(await services.redis.smembers(skippedKey(code)));
  return (await alertedIdentities(services, code)).filter((i) => !skipped.has(i));
}

/** A new round of trying everyone: the ones given up on count as reachable again until they fail again. */
export async function clearSkipped(services: Pick<ActionDeps, 'redis'>, code: string): Promise<void> {
  await services.redis.del(skippedKey(code));
}

/**
 * The outbox's dead-letter hook for alerts (after the person's own linked channels were tried): the
 * recipient is skipped, in the timeline, and the chain moves on when nobody reachable is left.
 */
export async function skipUndelivered(services: ActionDeps, dl: DeadLetter): Promise<boolean> {
  const code = alertCode(dl.key);
  if (!code) return false;
  const address = `${dl.to.channel}:${dl.to.chatId}`;
  // A linked channel stands for the person who holds the role.
  const identity = (await services.links.primaryOf(address)) ?? address;
  await withCaseLock(services, code, async () => {
    const state = await loadCase(services, code);
    if (!state || !awaitingAck(state)) return;
    await services.redis.multi().sadd(skippedKey(code), identity, address).expire(skippedKey(code), TTL_SECONDS).exec();
    const member = await services.roles.get(identity);
    const step = await currentStep(services, code);
    const who = member ? memberName(member) : 'Một cán bộ (không còn giữ vai trò)';
    await services.cases.addEntryOnce(code, `skip-${step}-${createHash('sha256').update(address).digest('base64url').slice(0, 16)}`, {
      at: services.now(),
      actor: 'system',
      kind: 'skipped',
      text: `${who}: không nhận được cảnh báo (${SKIP_REASON[dl.reason] ?? dl.reason}); báo người tiếp theo.`,
    });
  });
  await moveOnIfNobodyReached(services, code);
  return true;
}

/**
 * When nobody told about a case awaiting acknowledgement can be reached: the next chain step now, or past
 * the chain's end, the province officers and admins told and a new round after `ackMinutes`.
 */
export async function moveOnIfNobodyReached(services: ActionDeps, code: string): Promise<void> {
  const state = await loadCase(services, code);
  if (!state || !awaitingAck(state)) return;
  if ((await reachedIdentities(services, code)).length) return;
  const { report } = state;
  const commune = communeOf(services, report.communeId);
  const chain = commune && chainFor(commune, report);
  if (!commune || !chain) return;
  const step = await currentStep(services, code);
  const steps = escalationSteps(chain);
  if (step < steps) {
    services.log.warn({ code, step }, 'alert: nobody reached; the next in the chain now');
    await runEscalationNow(services, code, step + 1);
    return;
  }
  await tellNobodyReached(services, report, commune);
  // Keep trying: the next round after the chain's own wait (the same id once scheduled: a no-op).
  await scheduleEscalation(services, code, step + 1, services.now() + ackDelayMs(chain));
}

/** Nobody in the chain could be reached: the province officers and the commune's admins, once per case. */
async function tellNobodyReached(services: ActionDeps, report: ReportSummary, commune: CommuneConfig): Promise<void> {
  const first = await services.redis.set(`alerts:nobody:${report.code}`, '1', 'EX', TTL_SECONDS, 'NX');
  if (first !== 'OK') return;
  services.log.error({ code: report.code, communeId: report.communeId, urgency: report.urgency }, 'ALERT REACHED NOBODY: province and admins told; retrying');
  const province = commune.hotlines.province ? ` Đường dây của tỉnh: ${commune.hotlines.province}.` : '';
  const text =
    `🆘 Vụ việc ${report.code} (${urgencyText(report.urgency)}, ${categoryOf(report.category).label}, ${report.village}, ${commune.name}) ` +
    `chưa báo được cho ai ở xã: không ai trong danh sách nhận cảnh báo liên lạc được.\n` +
    `Hệ thống vẫn tiếp tục gửi lại. Xin gọi điện ngay cho cán bộ phụ trách, hoặc ${commune.hotlines.child} nếu trẻ đang gặp nguy hiểm.${province}`;
  const told = await notifyRoles(services, report.communeId, ['province', 'admin'], { text, choices: alertMessage(report, commune, services.now()).choices }, `alert-nobody:${report.code}`, {
    preview: `không báo được cho ai: ${report.code}`,
    urgent: true,
  });
  await services.cases.addEntryOnce(report.code, 'nobody-reached', {
    at: services.now(),
    actor: 'system',
    kind: 'escalated',
    text: `Không liên lạc được với ai trong danh sách; đã báo Cán bộ tỉnh và quản trị viên (${told.length} người), tiếp tục thử lại.`,
  });
}

/**
 * Someone just took a role: the open cases waiting for an acknowledgement that their role should have
 * been told about by now reach them at once (key `alert:<code>:<identity>`, the first alert's own).
 */
export async function alertNewMember(services: ActionDeps, member: Member): Promise<string[]> {
  const commune = communeOf(services, member.communeId);
  if (!commune) return [];
  const told: string[] = [];
  for (const report of await services.cases.listOpen(member.communeId, 500)) {
    if (report.status !== 'new' || report.urgency === 'P3') continue;
    const alerted = await services.redis.get(stepKey(report.code));
    if (alerted === null) continue; // not alerted yet (a P2 waiting for its digest): that will include them
    const roles = rolesForStep(report, chainFor(commune, report), Number(alerted));
    if (!roles.includes(member.role)) continue;
    const done = await withCaseLock(services, report.code, async () => {
      const state = await loadCase(services, report.code);
      if (!state || !awaitingAck(state)) return false;
      const heading = `${alertMessage(report, commune, services.now()).text.split('\n')[0]}\n(Báo cáo đến trước khi bạn đăng ký, chưa có ai tiếp nhận.)`;
      await notifyIdentity(services, member.identity, alertMessage(report, commune, services.now(), heading, Boolean(services.web)), `alert:${report.code}`, report.communeId, {
        preview: `cảnh báo ${report.urgency} ${report.code}`,
        urgent: true,
      });
      await recordRecipients(services, report.code, [member.identity]);
      await services.cases.addEntryOnce(report.code, `late-${member.identity}`, {
        at: services.now(),
        actor: 'system',
        kind: 'alerted',
        text: `Đã báo ${memberName(member)} ngay khi đăng ký.`,
      });
      return true;
    });
    if (done) told.push(report.code);
  }
  if (told.length) services.log.info({ communeId: member.communeId, role: member.role, cases: told.length }, 'new member alerted about cases waiting for their role');
  return told;
}

/**
 * Telling people about messages the outbox could not deliver. `announceDeadLetter` (the outbox's
 * dead-letter hook, registered by src/app/runtime.ts) tells the commune's officers and admins at once;
 * `describeDeadLetter` words one for them (also for /loigui). Announcements carry their own purpose, so
 * one that fails in turn is never announced (no loops); each failed key is announced once (a marker
 * `deadletter:<key>:announced`, 7 days), and each announcement's outbox key holds the failed key, so
 * nobody gets it twice.
 */
import { createHash } from 'node:crypto';
import { timezoneOf, type StaffRole } from '../config/communes.js';
import { formatLocal } from '../domain/local-time.js';
import type { Address } from '../messaging/message.js';
import type { ActionDeps } from './deps.js';
import { memberName } from './people.js';
import { notifyRoles } from './notify.js';
import type { DeadLetter, DeadLetterReason } from './outbox/dead-letters.js';

/** Roles that look after delivery problems (dead letters). */
export const DELIVERY_ROLES: readonly StaffRole[] = ['officer', 'admin'];

const ANNOUNCE_PURPOSE = 'deadletter';
/** Notices about undelivered messages (ours and the Zalo window's): never announced in turn, so no loops. */
const NOT_ANNOUNCED = [ANNOUNCE_PURPOSE, 'zalo-window'];
const ANNOUNCED_TTL_SECONDS = 7 * 24 * 3600;

const REASON_TEXT: Record<DeadLetterReason, string> = {
  unreachable: 'người nhận đã chặn hoặc bỏ theo dõi kênh',
  outside_window: 'người nhận không nhắn với kênh Zalo trong 7 ngày qua',
  permanent: 'nền tảng từ chối tin nhắn (cần quản trị viên kiểm tra)',
  retries_exhausted: 'đã thử lại nhiều lần vẫn lỗi',
  invalid: 'tin nhắn không hợp lệ',
  not_staff: 'người nhận không còn giữ vai trò nên không được nhận tin này',
  failed: 'lỗi khi gửi',
};

const CHANNEL_LABEL: Record<string, string> = { telegram: 'Telegram', zalo: 'Zalo', local: 'chat thử' };

/** Staff by role and name; anyone else (a reporter) only as "người dân" with the channel, never the id. */
async function recipientLabel(services: Pick<ActionDeps, 'roles'>, to: Address): Promise<string> {
  const member = await services.roles.get(`${to.channel}:${to.chatId}`);
  if (member) return memberName(member);
  return `một người dân (${CHANNEL_LABEL[to.channel] ?? to.channel})`;
}

function timeOf(dl: DeadLetter, tz: string): string {
  const at = Date.parse(dl.at);
  return Number.isNaN(at) ? dl.at : formatLocal(at, tz);
}

/** When, to whom and why, in words for officers and admins. */
export async function describeDeadLetter(services: Pick<ActionDeps, 'roles' | 'config'>, dl: DeadLetter): Promise<{ time: string; who: string; why: string }> {
  const tz = timezoneOf(services.config, dl.communeId);
  return { time: timeOf(dl, tz), who: await recipientLabel(services, dl.to), why: `${REASON_TEXT[dl.reason] ?? dl.reason} (${dl.preview})` };
}

/** Keys are at most 500 characters; a long failed key is shortened to a stable hash. */
function announceKey(dl: DeadLetter): string {
  const key = dl.key.length > 400 ? createHash('sha256').update(dl.key).digest('base64url') : dl.key;
  return `${ANNOUNCE_PURPOSE}:${key}`;
}

/** The outbox's dead-letter hook: tells the commune's officers and admins at once. */
export async function announceDeadLetter(services: Pick<ActionDeps, 'roles' | 'config' | 'outbox' | 'log' | 'redis'>, dl: DeadLetter): Promise<void> {
  if (NOT_ANNOUNCED.some((purpose) => dl.key.startsWith(`${purpose}:`))) {
    services.log.warn({ communeId: dl.communeId }, 'an undelivered-message notice could not be delivered; not announcing it again');
    return;
  }
  // Without a commune nobody in particular is responsible; it stays in the log and the `_none` list.
  if (!dl.communeId) return;
  // Once per failed key: the hook may run again for it (a re-sent message that failed again, a retried
  // hook), and an unreachable admin would otherwise get a fresh, failing announcement each time.
  const first = await services.redis.set(`${announceKey(dl)}:announced`, '1', 'EX', ANNOUNCED_TTL_SECONDS, 'NX');
  if (first !== 'OK') return;
  const d = await describeDeadLetter(services, dl);
  const text = `⚠️ Không gửi được tin nhắn cho ${d.who} lúc ${d.time}: ${d.why}.\nGửi /loigui để xem danh sách.`;
  await notifyRoles(services, dl.communeId, DELIVERY_ROLES, { text }, announceKey(dl), {
    // The person it could not reach will not be reached by this either.
    exclude: [`${dl.to.channel}:${dl.to.chatId}`],
    preview: 'thông báo tin nhắn lỗi',
  });
}

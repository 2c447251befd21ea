/**
 * Trying a secret (an invite code, a report code, a link code, a sign-in link) through the shared
 * limiter (src/store/guesses.ts). A lockout is logged and audited; the first of a burst on a channel
 * is told to every commune's administrators through the outbox, once.
 */
import type { GuessKind, GuessScope } from '../store/guesses.js';
import type { ActionDeps } from './deps.js';
import { notifyRoles } from './notify.js';

export type GuessOutcome<T> = { result: 'ok'; value: T } | { result: 'wrong' } | { result: 'locked'; retryAfterMinutes: number };

/** Who is trying: a chat identity and its channel, or `web:<address>` on channel `web`. */
export interface Guesser {
  identity: string;
  channel: string;
}

const KIND_TEXT: Record<GuessKind, string> = {
  invite: 'mã mời đăng ký vai trò',
  status: 'mã báo cáo (hỏi trạng thái)',
  link: 'mã liên kết kênh',
  signin: 'đường dẫn đăng nhập trang quản lý',
};
const CHANNEL_TEXT: Record<string, string> = { telegram: 'Telegram', zalo: 'Zalo OA', zalobot: 'Zalo Bot', local: 'chat thử', web: 'trang quản lý' };

type Deps = Pick<ActionDeps, 'guesses' | 'log' | 'audit' | 'outbox' | 'roles' | 'config' | 'now'>;

/** Runs `attempt` unless the guesser is locked out; undefined from it is a wrong try, and counted. */
export async function tryGuess<T>(services: Deps, who: Guesser, kind: GuessKind, attempt: () => Promise<T | undefined>): Promise<GuessOutcome<T>> {
  const state = await services.guesses.state(who.identity, who.channel);
  if (state.locked) return { result: 'locked', retryAfterMinutes: Math.max(1, Math.ceil(state.retryAfterSeconds / 60)) };
  const value = await attempt();
  if (value !== undefined) return { result: 'ok', value };
  const miss = await services.guesses.miss(who.identity, who.channel);
  if (miss.lockedNow) await lockedOut(services, who, kind, miss.lockedNow, miss.newBurst);
  return { result: 'wrong' };
}

async function lockedOut(services: Deps, who: Guesser, kind: GuessKind, scope: GuessScope, newBurst: boolean): Promise<void> {
  const now = services.now();
  services.log.warn({ kind, channel: who.channel, scope }, 'brute force: wrong codes past the budget, locked out');
  // A citizen asking about report codes stays unnamed: the audit log is read by staff.
  const actor = scope === 'channel' ? `channel:${who.channel}` : kind === 'status' ? 'citizen' : who.identity;
  await services.audit.add({ actor, action: 'guess.lockout', subject: who.channel, detail: `${kind} ${scope}` }, now);
  if (!newBurst) return;
  const b = services.guesses.budget;
  const minutes = Math.round((scope === 'channel' ? b.channelLockSeconds : b.identityLockSeconds) / 60);
  const text =
    `⚠️ Có người đang thử đoán ${KIND_TEXT[kind]} trên kênh ${CHANNEL_TEXT[who.channel] ?? who.channel}. ` +
    `Đã tạm khoá ${scope === 'channel' ? 'cả kênh này' : 'người đó'} ${minutes} phút. ` +
    'Nếu thấy lạ, xin xem Nhật ký trên trang quản lý hoặc `npm run audit -- list`.';
  const key = `guess-burst:${who.channel}:${Math.floor(now / (b.burstSeconds * 1000))}`;
  for (const commune of services.config.communes) {
    await notifyRoles(services, commune.id, ['admin'], { text }, key, { preview: 'cảnh báo đoán mã' });
  }
}

/** The answer to a locked-out guesser, on any channel. */
export function tooManyTries(retryAfterMinutes: number): string {
  return `Bạn đã nhập sai mã nhiều lần. Xin thử lại sau khoảng ${retryAfterMinutes} phút.`;
}

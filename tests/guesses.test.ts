/**
 * Brute force, tried as an attacker would: one chat account guessing invite codes, then switching to
 * report codes and link codes (one shared budget, so switching gains nothing), many accounts of one
 * channel together, and a browser guessing sign-in links. Lockouts are audited, admins hear of a
 * burst once, a right code is refused while locked, and nothing in the limiter's keys names anyone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryGuess } from '../src/actions/guesses.js';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { GuessLimiter, DEFAULT_GUESS_BUDGET } from '../src/store/guesses.js';
import { Inbox, LocalChatUser } from './helpers/local-chat.js';
import { outboxIdle } from './helpers/outbox-wait.js';
import { startService, type TestService } from './helpers/service.js';

let svc: TestService;
let workers: RunningWorkers;
const services = () => svc.runtime.services;
const user = (id: string) => new LocalChatUser(() => svc.app, id);
const joined = async (u: LocalChatUser, text: string) => (await u.say(text)).map((r) => r.text).join('\n');
const N = DEFAULT_GUESS_BUDGET.perIdentity;

beforeAll(async () => {
  svc = await startService({ PUBLIC_URL: 'http://127.0.0.1:9' });
  workers = await startWorkers(svc.runtime, []);
  await services().roles.assign({ identity: 'local:qt-guess', communeId: 'bao-linh', role: 'admin', since: Date.now() }, 'test');
});
afterAll(async () => {
  await workers?.close();
  await svc?.stop();
});

describe('one guesser on one chat account', () => {
  it(`is locked after ${N} wrong codes of any kind, even with the right one, and admins are told once`, async () => {
    const admin = new Inbox(user('qt-guess'));
    const attacker = user('ke-doan');
    const { code } = await services().roles.createInvite({ communeId: 'bao-linh', role: 'officer', ttlDays: 1, createdBy: 'test' });
    // Half the budget on invite codes, the rest on report codes and link codes: one budget.
    for (let i = 0; i < N / 2; i++) expect(await joined(attacker, `/dangky ZZZZZZ${i}`)).toContain('Mã mời không đúng');
    for (let i = 0; i < N / 2 - 1; i++) expect(await joined(attacker, `/trangthai TE-ZZZZZ${i}`)).toContain('Không tìm thấy báo cáo');
    expect(await joined(attacker, '/lienket 000000')).toContain('Mã liên kết không đúng');
    // Locked: the real invite code is refused too, and so is any other kind.
    expect(await joined(attacker, `/dangky ${code}`)).toMatch(/nhập sai mã nhiều lần\. Xin thử lại sau khoảng (60|59) phút/);
    expect(await joined(attacker, '/trangthai TE-ABCDEF')).toContain('nhập sai mã nhiều lần');
    expect(await services().roles.get('local:ke-doan')).toBeUndefined();
    // Someone else is not affected: the real code still works for them.
    expect(await joined(user('can-bo-moi'), `/dangky ${code}`)).toContain('Đăng ký thành công');

    const lockouts = (await services().audit.list({ subject: 'local' })).filter((e) => e.action === 'guess.lockout');
    expect(lockouts.map((e) => [e.actor, e.detail])).toEqual([['local:ke-doan', 'link identity']]);
    await admin.waitFor('Có người đang thử đoán mã liên kết kênh trên kênh chat thử');

    // A second guesser in the same burst: locked and audited, admins not told again.
    const second = user('ke-doan-2');
    for (let i = 0; i < N; i++) await second.say(`/trangthai TE-YYYYY${i}`);
    expect((await services().audit.list({ subject: 'local' })).filter((e) => e.action === 'guess.lockout')).toHaveLength(2);
    expect((await services().audit.list({ subject: 'local' }))[0]).toMatchObject({ actor: 'citizen', detail: 'status identity' });
    await outboxIdle(svc);
    expect(admin.count('Có người đang thử đoán')).toBe(1);
    expect((await services().audit.verify()).ok).toBe(true);
  });

  it('keeps no identity in clear in its keys', async () => {
    const keys = await svc.redis.client.keys('guess:*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(' ')).not.toMatch(/ke-doan|local:/);
  });
});

describe('many accounts of one channel', () => {
  it('together lock the channel; another channel is not affected', async () => {
    const limiter = new GuessLimiter(svc.redis.client, services().cipher, { ...DEFAULT_GUESS_BUDGET, perIdentity: 3, perChannel: 10 });
    const deps = { ...services(), guesses: limiter };
    const miss = () => Promise.resolve(undefined);
    const results = [];
    for (let i = 0; i < 10; i++) results.push((await tryGuess(deps, { identity: `zalobot:acc-${i}`, channel: 'zalobot' }, 'invite', miss)).result);
    expect(results).toEqual(Array(10).fill('wrong'));
    expect(await tryGuess(deps, { identity: 'zalobot:fresh', channel: 'zalobot' }, 'invite', () => Promise.resolve(1))).toMatchObject({ result: 'locked' });
    expect(await tryGuess(deps, { identity: 'telegram:1', channel: 'telegram' }, 'invite', () => Promise.resolve(1))).toEqual({ result: 'ok', value: 1 });
    expect((await services().audit.list({ subject: 'zalobot' }))[0]).toMatchObject({ actor: 'channel:zalobot', detail: 'invite channel' });
  });
});

describe('a browser guessing sign-in links', () => {
  it(`gets 403 for ${N} wrong links, then 429 from that address`, async () => {
    const post = (t: string) => svc.app.inject({ method: 'POST', url: '/console/dang-nhap', payload: { t }, remoteAddress: '203.0.113.9' });
    for (let i = 1; i <= N - 1; i++) expect((await post(`sai-${i}`)).statusCode).toBe(403);
    expect((await post('sai-cuoi')).statusCode).toBe(403);
    const locked = await post('sai-nua');
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('nhập sai mã nhiều lần');
  });
});

/**
 * The attacker's view: a copy of Redis (a backup, the AOF) and no DATA_KEY. After a full scenario
 * through the real service (a report with names, phone and description, its alert, an
 * acknowledgement, a note, a reporter's addition, a status question, counts, a Zalo OA token pair,
 * invites issued, a message that could not be delivered), every key and value is searched for what
 * must never be readable: a personal field, a token or live invite code, or a person's chat id next to
 * a case code (in one key or one value). Searched as stored, in NFC, NFD and without diacritics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsModule } from '../src/jobs/alerts/module.js';
import { fold } from '../src/text/vietnamese.js';
import { startZaloHarness, type ZaloHarness } from './helpers/channels.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { outboxIdle } from './helpers/outbox-wait.js';
import { textUpdate } from './helpers/telegram-updates.js';
import { dumpRedis, type DumpedKey } from './helpers/redis-dump.js';
import { until } from './helpers/wait.js';

const COMMUNE = 'bao-linh';
const all = (rs: string[]) => rs.join('\n---\n');
const TG_SECRET = 'dump-secret-0123456789abcdefghijklmnopqrstuv';
let h: ZaloHarness;
let tg: FakeTelegram;
let alerts: { close(): Promise<void> } | undefined;

beforeAll(async () => {
  tg = await startFakeTelegram();
  // Zalo OA and Telegram in one service: both channels' keys and jobs end up in the dump.
  h = await startZaloHarness({ env: { TELEGRAM_BOT_TOKEN: '123456:TEST-token', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: TG_SECRET, TELEGRAM_API_ROOT: tg.apiRoot } });
  alerts = await alertsModule.start(h.svc.runtime.services); // the harness runs the outbox and Zalo's inbound job only
});
afterAll(async () => {
  await alerts?.close();
  await h?.stop();
  await tg?.close();
});

/** A Telegram message from `chatId` through the real webhook; returns what the bot answered them. */
async function telegramSays(chatId: number, text: string): Promise<string> {
  const before = tg.callsTo('sendMessage').length;
  const res = await h.svc.app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': TG_SECRET, 'content-type': 'application/json' }, payload: textUpdate(chatId, text) });
  expect(res.statusCode).toBe(200);
  return tg.callsTo('sendMessage').slice(before).filter((c) => String(c.payload.chat_id) === String(chatId)).map((c) => String(c.payload.text)).join('\n');
}

/** A text in every form an attacker would search it: as typed, NFC, NFD, folded (no diacritics). */
const forms = (s: string): string[] => [...new Set([s, s.normalize('NFC'), s.normalize('NFD'), fold(s)])];
/** A dumped key in the same forms, so a value stored decomposed or folded is found too. */
const dumpForms = (d: DumpedKey): string[] => [...new Set([d.text, d.text.normalize('NFC'), d.text.normalize('NFD'), fold(d.text)])];

function leaks(dump: DumpedKey[], secret: string): string[] {
  const wanted = forms(secret).map((f) => f.toLowerCase());
  return dump.filter((d) => dumpForms(d).some((t) => wanted.some((w) => t.toLowerCase().includes(w)))).map((d) => d.key);
}

/** The Zalo user id part of a `zalo:<id>` identity. */
const chatIdOf = (identity: string) => identity.slice(identity.indexOf(':') + 1);

describe('a copy of Redis after a full scenario', () => {
  it('holds no personal field, no token, no live invite code, and no chat id beside a case code', async () => {
    const { svc, fake } = h;
    const services = svc.runtime.services;
    const reporter = h.user(1);
    const officer = h.user(2);
    const head = h.user(3);

    // Staff join with invites; one more invite stays live (unredeemed).
    const invite = async (role: 'officer' | 'village_head', village?: string) => (await services.roles.createInvite({ communeId: COMMUNE, role, village, ttlDays: 7, createdBy: 'test' })).code;
    const officerCode = await invite('officer');
    const liveInvite = await invite('officer');
    expect(all(await officer.say(`/dangky ${officerCode}`))).toContain('Đăng ký thành công');
    expect(all(await head.say(`/dangky ${await invite('village_head', 'Thôn Bản Piềng')}`))).toContain('Trưởng thôn');
    const tgOfficer = 7_310_000_001;
    expect(await telegramSays(tgOfficer, `/dangky ${await invite('officer')}`)).toContain('Đăng ký thành công');

    // A report with the child's name, the reporter's name and phone, and a description.
    const childName = 'Lò Thị Mai';
    const reporterName = 'Nguyễn Văn Bình';
    const phone = '0912345678';
    const description = 'Cháu bé hàng xóm hay bị bố dượng đánh, có vết bầm trên tay';
    expect(all(await reporter.say('tôi muốn báo cáo'))).toContain('việc gì');
    await reporter.press('Bạo lực, đánh đập');
    await reporter.say('na ca');
    await reporter.say(description);
    await reporter.say('hom qua');
    await reporter.say('8 tuổi');
    await reporter.press('Nữ');
    await reporter.say('khong');
    await reporter.say(childName);
    await reporter.say('bỏ qua');
    await reporter.press('Để lại liên hệ');
    let summary = all(await reporter.say(reporterName));
    if (!summary.includes(phone)) summary = all(await reporter.say(phone));
    expect(summary).toContain(phone);
    const done = all(await reporter.say('gửi'));
    const code = done.match(/TE-[0-9A-Z]{6}/)?.[0] ?? '';
    expect(code, done).not.toBe('');

    // The alert reaches the officer, who takes the case and writes a note; the reporter adds something.
    await until(async () => fake.messages.some((m) => m.userId === chatIdOf(officer.identity) && m.text.includes(code)), 15_000, 'the alert');
    expect(all(await officer.say(`/nhan ${code}`))).toContain(code);
    const note = 'Đã gặp bà nội của cháu Mai ở chợ';
    await officer.say(`/ghichu ${code} ${note}`);
    const addition = 'người đánh cháu tên là Hoàng Văn Tý';
    expect(all(await reporter.say(`bổ sung ${code}: ${addition}`))).toContain('Cảm ơn');
    expect(all(await reporter.say(`/trangthai ${code}`))).toContain(code);
    // The alert went to the Telegram officer too; a Telegram citizen guesses at the code.
    await until(async () => tg.messagesTo(tgOfficer).some((t) => t.includes(code)), 15_000, 'the Telegram alert');
    const tgCitizen = 7_320_000_002;
    expect(await telegramSays(tgCitizen, `/trangthai ${code}`)).toContain('không do bạn gửi');

    // Counts from the village head.
    const vn = new Date(Date.now() + 7 * 3_600_000);
    const label = `T${vn.getUTCMonth() === 0 ? 12 : vn.getUTCMonth()}/${vn.getUTCMonth() === 0 ? vn.getUTCFullYear() - 1 : vn.getUTCFullYear()}`;
    await head.say(`Báo cáo ${label}: sinh 3, tử vong 0, tai nạn 1`);
    expect(all(await head.say('có'))).toContain('Đã lưu số liệu');

    // A status notice to the reporter that cannot be delivered: a dead letter about their case.
    fake.failNext(-230, 1, 'User has not interacted with the OA in the last 7 days');
    await services.outbox.enqueue({ to: { channel: 'zalo', chatId: chatIdOf(reporter.identity) }, key: `status:${services.cipher.blind(`${code}:${reporter.identity}`)}:dump`, communeId: COMMUNE, preview: `trạng thái ${code}`, message: { text: `Báo cáo ${code} đang được xử lý` } });
    await outboxIdle(svc);

    const pair = await svc.runtime.zalo!.tokens.readPair();
    expect(pair).not.toBeNull();
    const dump = await dumpRedis(svc.redis.client);
    expect(dump.length).toBeGreaterThan(20);

    for (const secret of [childName, 'Thị Mai', reporterName, phone, description, 'vết bầm', note, addition, 'Hoàng Văn Tý', pair!.accessToken, pair!.refreshToken, liveInvite]) {
      expect(leaks(dump, secret), secret).toEqual([]);
    }
    // No key or value holds the reporter's chat id together with the case code. (Staff are named beside
    // the cases they hold and in the audit of their roles, by design: the case records its holder.)
    const id = chatIdOf(reporter.identity);
    const together = dump.filter((d) => dumpForms(d).some((t) => t.includes(id) && t.toUpperCase().includes(code)));
    expect(together.map((d) => d.key)).toEqual([]);
    // The reporter's chat id is nowhere at all: every trace of them is keyed or sealed.
    for (const citizen of [String(tgCitizen)]) expect(leaks(dump, citizen), citizen).toEqual([]);
    const where = leaks(dump, chatIdOf(reporter.identity));
    expect(where, dump.filter((d) => where.includes(d.key)).map((d) => d.text).join('\n\n')).toEqual([]);
  });
});

/**
 * A staff member links the Zalo Bot to the role they hold on the OA (/lienket → code → /lienket CODE),
 * and a message the OA may no longer send (7 days of silence), or a reminder it would bill, reaches them
 * on the bot. Real service,
 * real redis-server, the fake OA and the fake Bot API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkers, type RunningWorkers } from '../src/app/workers.js';
import { authoriseZalo, postZalo, zaloEnv, zaloEvent, zaloProcessed } from './helpers/channels.js';
import { startFakeZalo, type FakeZalo } from './helpers/fake-zalo.js';
import { FakeZaloBot, botUpdate } from './helpers/fake-zalo-bot.js';
import { startService, type TestService } from './helpers/service.js';
import { postZaloBot, zaloBotEnv } from './helpers/zalo-bot-harness.js';
import { until } from './helpers/wait.js';
import { sampleReport } from './helpers/reports.js';

const OFFICER = '8400333333333333334';
const BOT_CHAT = 'b0b0officer000000001';
let oa: FakeZalo;
let bot: FakeZaloBot;
let svc: TestService;
let workers: RunningWorkers;

beforeAll(async () => {
  oa = await startFakeZalo();
  bot = await new FakeZaloBot().start();
  svc = await startService({ ...zaloEnv(oa), ...zaloBotEnv(bot) });
  await authoriseZalo(svc, oa);
  workers = await startWorkers(svc.runtime, [svc.runtime.zalo!.inboundJob]);
  await svc.runtime.services.roles.assign({ identity: `zalo:${OFFICER}`, communeId: 'bao-linh', role: 'officer', since: Date.now() }, 'test');
});
afterAll(async () => {
  await workers?.close();
  await svc?.stop();
  await bot?.close();
  await oa?.close();
});

async function sayOnOa(text: string): Promise<string[]> {
  const before = oa.messages.length;
  const body = zaloEvent(oa.appId, 'user_send_text', OFFICER, { text });
  expect((await postZalo(svc, body)).statusCode).toBe(200);
  await zaloProcessed(svc, body);
  return oa.messages.slice(before).map((m) => m.text);
}

async function sayOnBot(text: string): Promise<string[]> {
  const before = bot.sentTexts(BOT_CHAT).length;
  expect(await postZaloBot(svc, botUpdate(BOT_CHAT, { text }))).toBe(200);
  return bot.sentTexts(BOT_CHAT).slice(before);
}

describe('/lienket', () => {
  it('someone without a role gets no code', async () => {
    expect((await sayOnBot('/lienket')).join('\n')).toContain('Chỉ cán bộ và trưởng thôn');
  });

  it('links the bot to the officer role by a one-time code, and a message outside the OA window goes to the bot', async () => {
    const answer = (await sayOnOa('/lienket')).join('\n');
    const code = /\/lienket (\d{6})/.exec(answer)?.[1];
    expect(code).toBeDefined();
    expect(answer).not.toContain(OFFICER);
    expect((await sayOnBot(`/lienket ${code}`)).join('\n')).toContain('Đã liên kết kênh này với vai trò Cán bộ bảo vệ trẻ em');
    expect((await sayOnBot(`/lienket ${code}`)).join('\n')).toContain('không đúng hoặc đã hết hạn'); // used once
    expect(await svc.runtime.services.links.list()).toEqual([{ primary: `zalo:${OFFICER}`, linked: `zalobot:${BOT_CHAT}` }]);

    // The officer has not written to the OA for 8 days: Zalo would refuse; the bot gets it.
    await svc.runtime.zalo!.window.markClosed(OFFICER);
    const before = oa.messages.length;
    await svc.runtime.services.outbox.enqueue({
      to: { channel: 'zalo', chatId: OFFICER },
      message: { text: '🚨 Báo cáo khẩn mới, xin xem ngay.' },
      key: `alert-test:zalo:${OFFICER}`,
    });
    await until(() => bot.sentTexts(BOT_CHAT).includes('🚨 Báo cáo khẩn mới, xin xem ngay.'), 10_000, 'the alert on the bot');
    expect(oa.messages.length).toBe(before);
  });

  it('a reminder that would be billed on the OA goes to the linked bot, free, and nothing is billed', async () => {
    await sayOnOa('/help'); // the window is open again
    while ((await svc.runtime.zalo!.replies.claim(OFFICER)).kind === 'reply'); // no free reply left
    const before = oa.messages.length;
    await svc.runtime.services.outbox.enqueue({
      to: { channel: 'zalo', chatId: OFFICER },
      message: { text: 'Nhắc việc: vụ việc cần cập nhật tiến độ.' },
      key: `remind-test:zalo:${OFFICER}`,
      canWaitMs: 3_600_000,
    });
    await until(() => bot.sentTexts(BOT_CHAT).includes('Nhắc việc: vụ việc cần cập nhật tiến độ.'), 10_000, 'the reminder on the bot');
    expect(oa.messages.length).toBe(before);
    expect(await svc.runtime.services.outbox.heldFor({ channel: 'zalo', chatId: OFFICER })).toEqual([]);
  });

  it('the officer acts with their role on the linked bot: lists cases and takes one, held under their role', async () => {
    const s = svc.runtime.services;
    const report = await s.cases.create(sampleReport());
    expect((await sayOnBot('/vuviec')).join('\n')).toContain(report.code);
    expect((await sayOnBot(`/nhan ${report.code}`)).join('\n')).toContain(`✅ Bạn đã tiếp nhận vụ việc ${report.code}`);
    expect((await s.cases.get(report.code))?.assignee).toBe(`zalo:${OFFICER}`);
  });

  it('once an admin removes the link, nothing is rerouted and the bot no longer acts with the role', async () => {
    expect(await svc.runtime.services.links.unlink(`zalobot:${BOT_CHAT}`, 'admin')).toBe(1);
    expect(await svc.runtime.services.links.othersOf(`zalo:${OFFICER}`)).toEqual([]);
    expect((await sayOnBot('/vuviec')).join('\n')).toContain('chỉ dành cho cán bộ xã');
  });
});

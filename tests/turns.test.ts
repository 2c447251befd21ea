/**
 * Exactly-once turns (docs/turns.md), on each channel's real inbound path: the stale-claim
 * reproduction, the hot path's Redis commands, a turn that fails leaving nothing behind, bounded memory
 * per person, and the same guarantees on Zalo and the local page.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processIncoming, type InboundDeps } from '../src/bot/inbound.js';
import { silentLogger } from '../src/logger.js';
import type { ChannelSender } from '../src/messaging/channel.js';
import type { IncomingMessage, OutgoingMessage } from '../src/messaging/message.js';
import { postZalo, startZaloHarness, zaloEvent, zaloProcessed, type ZaloHarness } from './helpers/channels.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { LocalChatUser } from './helpers/local-chat.js';
import { startService, type TestService } from './helpers/service.js';
import { textUpdate } from './helpers/telegram-updates.js';
import { until } from './helpers/wait.js';

/** The commands the service's request connection sent while `fn` ran (scripts' inner commands excluded). */
async function commandsDuring(svc: TestService, identity: string, fn: () => Promise<void>): Promise<{ sent: string[]; inScripts: string[] }> {
  const redis = svc.runtime.redis as Redis & { stream?: { localPort?: number } };
  const port = redis.stream?.localPort;
  // The last confirmation is not awaited before the platform's 200 (and its write may wait for the
  // connection's next commands): it has run when the lock is free, before and after `fn`. (Before
  // MONITOR starts, too: ioredis fails on a monitored line in the same packet as MONITOR's OK.)
  const { lock } = svc.runtime.turnPath.turns.keys(identity);
  const released = () => until(async () => (await svc.redis.client.exists(lock)) === 0, 10_000, 'the turn lock to be released');
  await released();
  const monitor = await svc.redis.client.monitor();
  const sent: string[] = [];
  const inScripts: string[] = [];
  const markers = new Set<string>();
  let ours = false;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    // Commands a script runs show with the source 'lua', right after the script's own line.
    if (source === 'lua') {
      if (ours) inScripts.push(args[0]?.toLowerCase() ?? '');
      return;
    }
    if (args[0]?.toLowerCase() === 'echo' && args[1]) markers.add(args[1]);
    ours = source.endsWith(`:${port}`) && !args.some((a) => a.startsWith('alive:'));
    if (ours) sent.push(args[0]?.toLowerCase() ?? '');
  });
  // MONITOR shows commands in the order Redis ran them: once a marker sent from another connection is
  // seen, everything before it has been seen (no fixed sleep, which a busy machine outruns).
  const mark = async (name: string) => {
    await svc.redis.client.echo(name);
    await until(() => markers.has(name), 10_000, `MONITOR to show ${name}`);
  };
  await mark('turns-test-start');
  await fn();
  await released();
  await mark('turns-test-end');
  monitor.disconnect();
  return { sent, inScripts };
}

/** What a process killed mid-turn leaves: the person's lock, held by an owner whose process is gone. */
async function leaveDeadLock(svc: TestService, identity: string): Promise<void> {
  const { turns } = svc.runtime.turnPath;
  const begun = await turns.begin(turns.keys(identity), `crashed-${Date.now()}`, 'web:gone:1#dead|t');
  expect(begun.kind).toBe('new');
}

describe('Telegram', () => {
  const SECRET = 'turns-secret-0123456789abcdefghijklmnopqrstuv';
  let fake: FakeTelegram;
  let svc: TestService;
  beforeAll(async () => {
    fake = await startFakeTelegram();
    svc = await startService({ TELEGRAM_BOT_TOKEN: '123456:TURNS', TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
  });
  afterAll(async () => {
    await svc.stop();
    await fake.close();
  });
  const post = (update: object) =>
    svc.app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, payload: update });
  const sentTo = (chat: number) => fake.callsTo('sendMessage').filter((c) => String(c.payload.chat_id) === String(chat)).map((c) => String(c.payload.text));

  it('the stale-claim reproduction: a re-posted answer after a crash is not applied again to the next step', async () => {
    const chat = 7301;
    expect((await post(textUpdate(chat, '/baocao'))).statusCode).toBe(200);
    const five = textUpdate(chat, '5');
    expect((await post(five)).statusCode).toBe(200);
    const before = sentTo(chat);
    expect(before.at(-1)).toContain('thôn/xóm');
    // What a crash leaves, then Telegram re-posts the update: answered at once, and not handled again.
    await leaveDeadLock(svc, `telegram:${chat}`);
    const t0 = Date.now();
    expect((await post(five)).statusCode).toBe(200);
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(sentTo(chat)).toEqual(before);
    // The conversation goes on from the village step: "na ca" is the village, not the description.
    for (const answer of ['na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hôm nay', '8', 'nữ', 'không', 'bỏ qua', 'bỏ qua', 'ẩn danh']) {
      expect((await post(textUpdate(chat, answer))).statusCode).toBe(200);
    }
    const summary = sentTo(chat).at(-1) ?? '';
    expect(summary).toContain('Thôn/xóm: Thôn Nà Ca');
    expect(summary).toContain('Sự việc: Cháu bé bị đánh nhiều lần, có vết bầm');
    expect(summary).toContain('Thời gian: Hôm nay');
  });

  // Issue 15's hot-path budget, measured from outside with MONITOR: one script that begins and commits
  // (the process committed the person's last turn), then the confirmation of the one part.
  it('an ordinary report step is two scripts by SHA on the request connection, nothing else', async () => {
    const chat = 6101;
    await post(textUpdate(chat, '/baocao'));
    await post(textUpdate(chat, '5'));
    const steps: Array<{ sent: string[]; inScripts: string[] }> = [];
    for (const answer of ['na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hom nay', '8']) steps.push(await commandsDuring(svc, `telegram:${chat}`, async () => void (await post(textUpdate(chat, answer)))));
    for (const s of steps) {
      expect(s.sent).toEqual(['evalsha', 'evalsha']);
      // Inside them: the try 11 at most (MGET of lock, pump, session and offered choices; ZSCORE; LLEN; the commit's 6:
      // session, offered choices, the id into seen, its cap, its expiry, the entry; SET lock), the confirmation of the
      // entry's last part 3 (the lock, the entry popped, the lock freed).
      expect(s.inScripts.length).toBeLessThanOrEqual(14);
      expect(s.inScripts.slice(-3)).toEqual(['get', 'lpop', 'del']);
    }
  });
});

describe('the local page', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => {
    await svc.stop();
  });
  const send = (userId: string, text: string, clientId: string) => svc.app.inject({ method: 'POST', url: '/local/send', payload: { userId, text, clientId } });

  it('a message re-posted with its clientId is answered once, and a lock left by a crash does not hold the person up', async () => {
    const u = new LocalChatUser(() => svc.app, 'dan-turn');
    await u.say('/baocao');
    expect((await send('dan-turn', '5', 'c-five')).statusCode).toBe(200);
    const first = await u.inbox();
    expect(first.at(-1)?.text).toContain('thôn/xóm');
    await leaveDeadLock(svc, 'local:dan-turn');
    const again = await send('dan-turn', '5', 'c-five');
    expect(again.json()).toMatchObject({ result: 'duplicate' });
    expect(await u.inbox()).toEqual([]);
    expect((await u.say('na ca')).at(-1)?.text).toContain('kể ngắn gọn');
    await u.say('/huy');
  });

  it('a turn that fails leaves nothing behind, and its retry runs from the old state', async () => {
    const sent: OutgoingMessage[] = [];
    const sender: ChannelSender = { send: async (_c, m) => void sent.push(m) };
    const path = svc.runtime.turnPath;
    const msg = (platformId: string, text: string): IncomingMessage => ({ channel: 'local', userId: 'dan-fail', chatId: 'dan-fail', text, media: [], platformId, receivedAt: Date.now() });
    const deps: InboundDeps = { ...path, sender, log: silentLogger };
    await processIncoming(msg('f1', '/baocao'), deps);
    const draft = await svc.runtime.services.sessions.get('local:dan-fail');
    // The handlers run (and a report step advances in memory), then the process fails before the commit.
    const failing: InboundDeps = { ...deps, dispatcher: { handle: async (m, c) => (await path.dispatcher.handle(m, c), Promise.reject(new Error('boom'))) } };
    await expect(processIncoming(msg('f2', '5'), failing)).rejects.toThrow('boom');
    expect(await svc.runtime.services.sessions.get('local:dan-fail')).toEqual(draft);
    expect(sent).toHaveLength(2); // only /baocao's replies
    // The platform's retry is handled from the old state, at once (the lock was released).
    expect(await processIncoming(msg('f2', '5'), deps)).toBe('handled');
    expect(sent.at(-1)?.text).toContain('thôn/xóm');
  });

  it('the next turn reads the draft as Redis holds it: one written meanwhile by anyone else is opened, not the value this process sealed last', async () => {
    const path = svc.runtime.turnPath;
    const { sessions } = svc.runtime.services;
    const u = new LocalChatUser(() => svc.app, 'dan-rewrite');
    await u.say('/baocao');
    const k = path.turns.keys('local:dan-rewrite');
    const ours = await path.turns.begin(k, 'peek-1', 'web:test:1#peek|1');
    expect(ours.kind === 'new' && ours.state.session?.step).toBeTruthy();
    await path.turns.release(k, 'web:test:1#peek|1');
    const draft = await sessions.get('local:dan-rewrite');
    await sessions.save('local:dan-rewrite', { ...draft!, data: { ...draft!.data, marker: 'written elsewhere' } });
    const again = await path.turns.begin(k, 'peek-2', 'web:test:1#peek|2');
    expect(again.kind === 'new' && again.state.session?.data.marker).toBe('written elsewhere');
    await path.turns.release(k, 'web:test:1#peek|2');
    await u.say('/huy');
  });

  // The one-round-trip path runs a turn on the state this process committed last, before Redis is asked.
  const walkToConfirm = async (u: LocalChatUser) => {
    for (const answer of ['/baocao', '5', 'na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hôm nay', '8', 'nữ', 'không', 'bỏ qua', 'bỏ qua']) await u.say(answer);
    expect((await u.last('ẩn danh'))).toContain('Gửi báo cáo này?');
  };

  it('a turn run on the state this process wrote last is not written when Redis holds another: the draft as Redis has it answers', async () => {
    const { sessions } = svc.runtime.services;
    const u = new LocalChatUser(() => svc.app, 'dan-moved');
    await u.say('/baocao');
    expect(await u.last('5')).toContain('thôn/xóm');
    // Another process moved the draft back to the category question meanwhile.
    const draft = await sessions.get('local:dan-moved');
    await sessions.save('local:dan-moved', { ...draft!, step: 'category', data: {}, history: [] });
    expect(await u.last('5')).toContain('thôn/xóm');
    // Another process cancelled it: "na ca" is no village answer any more.
    await svc.redis.client.del(svc.runtime.turnPath.turns.keys('local:dan-moved').session);
    expect(await u.last('na ca')).not.toContain('kể ngắn gọn');
  });

  it('a step that needs a store is refused on the last state: a draft cancelled elsewhere is not sent by "gửi", and a sent one is saved once', async () => {
    const { cases } = svc.runtime.services;
    const u = new LocalChatUser(() => svc.app, 'dan-cancelled');
    await walkToConfirm(u);
    await svc.redis.client.del(svc.runtime.turnPath.turns.keys('local:dan-cancelled').session);
    expect(await u.last('gửi')).not.toContain('Đã nhận báo cáo');
    expect(await cases.listByReporter('local:dan-cancelled')).toHaveLength(0);
    const v = new LocalChatUser(() => svc.app, 'dan-sent');
    await walkToConfirm(v);
    expect(await v.last('gửi')).toContain('Đã nhận báo cáo');
    expect(await cases.listByReporter('local:dan-sent')).toHaveLength(1);
  });

  it('an update handled on the last state is a duplicate when posted again, and a running turn of the person is waited for', async () => {
    const u = new LocalChatUser(() => svc.app, 'dan-again');
    await u.say('/baocao');
    expect((await send('dan-again', '5', 'c-again-5')).json()).toMatchObject({ result: 'handled' });
    expect((await send('dan-again', '5', 'c-again-5')).json()).toMatchObject({ result: 'duplicate' });
    expect((await u.inbox()).map((m) => m.text).filter((t) => t.includes('thôn/xóm'))).toHaveLength(1);
    // A lock left by a dead process: the state this process wrote is not run on, the lock is taken over.
    await leaveDeadLock(svc, 'local:dan-again');
    expect(await u.last('na ca')).toContain('kể ngắn gọn');
    await u.say('/huy');
  });

  it("memory per person is bounded: a capped window of recent ids, no key per update", async () => {
    const { client } = svc.redis;
    const u = new LocalChatUser(() => svc.app, 'dan-many');
    await u.say('/start');
    const keys = await client.dbsize();
    for (let i = 0; i < 60; i++) await u.say('/help');
    expect(await client.dbsize()).toBe(keys);
    const seen = svc.runtime.turnPath.turns.keys('local:dan-many').seen;
    expect(await client.zcard(seen)).toBe(32);
    expect(await client.pttl(seen)).toBeLessThanOrEqual(2 * 24 * 3600_000);
    expect(await client.llen(svc.runtime.turnPath.turns.keys('local:dan-many').replies)).toBe(0);
  });
});

describe('Zalo', () => {
  let h: ZaloHarness;
  beforeAll(async () => {
    h = await startZaloHarness({ zaloPerSecond: 500 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a msg_id delivered again after a crash is answered once, and a lock left by a crash does not hold the person up', async () => {
    const userId = '8412345678900099001';
    const sentTo = () => h.fake.messages.filter((m) => m.userId === userId).map((m) => m.text);
    const deliver = async (body: object) => {
      expect((await postZalo(h.svc, body)).statusCode).toBe(200);
      await zaloProcessed(h.svc, body);
    };
    await deliver(zaloEvent(h.fake.appId, 'user_send_text', userId, { text: '/baocao', at: Date.now() }));
    const five = zaloEvent(h.fake.appId, 'user_send_text', userId, { text: '5', msgId: 'msg-five-1', at: Date.now() });
    await deliver(five);
    const before = sentTo();
    expect(before.at(-1)).toContain('thôn/xóm');
    await leaveDeadLock(h.svc, `zalo:${userId}`);
    // Zalo delivers it again (after its queued job is gone): nothing is handled or sent twice.
    await h.svc.runtime.zalo?.inbound.queue.obliterate({ force: true });
    await deliver(five);
    expect(sentTo()).toEqual(before);
    await deliver(zaloEvent(h.fake.appId, 'user_send_text', userId, { text: 'na ca', at: Date.now() }));
    expect(sentTo().at(-1)).toContain('kể ngắn gọn');
  });
});

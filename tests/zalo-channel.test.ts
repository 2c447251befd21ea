/**
 * The Zalo OA channel end to end against the fake OA API/OAuth server and a real Redis: the webhook
 * (signatures, malformed bodies, repeats), the inbound job (messages, follow, unfollow, echoes), the
 * 7-day window with its fallback, long messages, and many sends through an expired token. One service
 * is started for all of them (about 330 lines).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseZaloWebhook } from '../src/bot/zalo/webhook-event.js';
import { ZALO_REPLY_HINT } from '../src/bot/zalo/window.js';
import { zaloInboundJobId } from '../src/bot/zalo/inbound-queue.js';
import type { OutgoingMessage } from '../src/messaging/message.js';
import { ZALO_OA_SECRET_KEY, ZALO_OA_SECRET_KEY_PREVIOUS, postZalo, startZaloHarness, zaloEvent, zaloProcessed, type ZaloHarness } from './helpers/channels.js';
import { deadLetterFor as waitForDeadLetter, outboxIdle as waitForOutboxIdle } from './helpers/outbox-wait.js';
import { until } from './helpers/wait.js';

const DAY = 24 * 3_600_000;
const COMMUNE = 'bao-linh';
let h: ZaloHarness;
/** The service's clock runs this far ahead of the real one: "a week later" without waiting. */
let shift = 0;

beforeAll(async () => {
  h = await startZaloHarness({ zaloPerSecond: 500, now: () => Date.now() + shift });
});
afterAll(async () => {
  await h?.stop();
});

let nextUser = 1;
/** A fresh 19-digit Zalo user id per test. */
const newUser = () => `84123456789${String(nextUser++).padStart(8, '0')}`;
const sentTo = (userId: string) => h.fake.messages.filter((m) => m.userId === userId).map((m) => m.text);
const services = () => h.svc.runtime.services;

/** Posts a signed event and waits until the inbound job has run. */
async function deliver(body: object): Promise<void> {
  const res = await postZalo(h.svc, body);
  expect(res.statusCode).toBe(200);
  await zaloProcessed(h.svc, body);
}

async function writes(userId: string, text: string): Promise<string[]> {
  const before = sentTo(userId).length;
  await deliver(zaloEvent(h.fake.appId, 'user_send_text', userId, { text, at: Date.now() + shift }));
  return sentTo(userId).slice(before);
}

async function enqueue(userId: string, message: OutgoingMessage, key: string) {
  return services().outbox.enqueue({ to: { channel: 'zalo', chatId: userId }, message, key, communeId: COMMUNE, preview: 'test notice' });
}

/** Waits until the outbox's dead letter for `key` is recorded and returns it. */
const deadLetterFor = (key: string) => waitForDeadLetter(h.svc, COMMUNE, key);

async function localInbox(id: string): Promise<string[]> {
  return (await h.svc.runtime.inbox.read(id)).filter((e) => e.from === 'service').map((e) => e.message.text);
}

/** Until nothing is waiting, running or delayed on the outbox queues (so every hook has finished). */
const outboxIdle = () => waitForOutboxIdle(h.svc, ['zalo', 'local']);

describe('Zalo webhook', () => {
  it('accepts events signed with the OA Secret Key or its previous one, and refuses the App Secret (401)', async () => {
    const a = newUser();
    const b = newUser();
    const withOaKey = zaloEvent(h.fake.appId, 'user_send_text', a, { text: '/start' });
    const withOldKey = zaloEvent(h.fake.appId, 'user_send_text', b, { text: '/start' });
    const withAppSecret = zaloEvent(h.fake.appId, 'user_send_text', newUser(), { text: '/start' });
    expect((await postZalo(h.svc, withOaKey, ZALO_OA_SECRET_KEY)).statusCode).toBe(200);
    expect((await postZalo(h.svc, withOldKey, ZALO_OA_SECRET_KEY_PREVIOUS)).statusCode).toBe(200);
    expect((await postZalo(h.svc, withAppSecret, h.fake.appSecret)).statusCode).toBe(401);
    await zaloProcessed(h.svc, withOaKey);
    await zaloProcessed(h.svc, withOldKey);
    expect(sentTo(a).join('\n')).toContain('/baocao');
    expect(sentTo(b).join('\n')).toContain('/baocao');
  });

  it('refuses forged or unsigned events (401) and bodies that are not JSON (400), drops signed events of an unexpected shape (200), and processes none of them', async () => {
    const u = newUser();
    const queue = h.svc.runtime.zalo!.inbound.queue;
    const countsBefore = await queue.getJobCounts();
    const body = zaloEvent(h.fake.appId, 'user_send_text', u, { text: '/start' });
    expect((await postZalo(h.svc, body, 'not-the-secret')).statusCode).toBe(401);
    expect((await postZalo(h.svc, body, null)).statusCode).toBe(401);
    // A body changed after signing: the signature covers the raw bytes.
    const tampered = await postZalo(h.svc, body, ZALO_OA_SECRET_KEY, JSON.stringify(body).replace('/start', '/help'));
    expect(tampered.statusCode).toBe(401);
    expect((await postZalo(h.svc, '{"event_name": "user_send_text", "timestamp": ')).statusCode).toBe(400);
    // Signed by Zalo but not what we expect: answered 200 so Zalo neither retries it nor disables the webhook.
    const noEventName = { app_id: h.fake.appId, timestamp: String(Date.now()), sender: { id: u } };
    expect((await postZalo(h.svc, noEventName)).statusCode).toBe(200);
    const numericId = { ...body, sender: { id: 12345 } };
    expect((await postZalo(h.svc, numericId)).statusCode).toBe(200);

    expect(await queue.getJobCounts()).toEqual(countsBefore);
    expect(sentTo(u)).toEqual([]);    // The refused copies left no mark: the genuine event, delivered now, is handled.
    await deliver(body);
    expect(sentTo(u).join('\n')).toContain('/baocao');
  });

  it('drops signed events older than Zalo retries (a replayed capture) with 200, and takes an 11 hours old retry', async () => {
    const u = newUser();
    const queue = h.svc.runtime.zalo!.inbound.queue;
    const countsBefore = await queue.getJobCounts();
    const HOUR = 3_600_000;
    for (const at of [Date.now() - 25 * HOUR, Date.now() + 2 * HOUR, Date.now() - 30 * DAY]) {
      const res = await postZalo(h.svc, zaloEvent(h.fake.appId, 'user_send_text', u, { text: '/start', at }));
      expect(res.statusCode).toBe(200);
    }
    expect(await queue.getJobCounts()).toEqual(countsBefore);
    // Zalo keeps retrying for about 12 hours: a delivery 11 hours late still counts.
    await deliver(zaloEvent(h.fake.appId, 'user_send_text', u, { text: '/start', at: Date.now() - 11 * HOUR }));
    expect(sentTo(u).join('\n')).toContain('/baocao');
  });

  it('processes a repeated msg_id once, even after the queued job is gone', async () => {
    const u = newUser();
    const body = zaloEvent(h.fake.appId, 'user_send_text', u, { text: '/help' });
    const [r1, r2] = await Promise.all([postZalo(h.svc, body), postZalo(h.svc, body)]);
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200]);
    await zaloProcessed(h.svc, body);
    expect((await postZalo(h.svc, body)).statusCode).toBe(200); // Zalo's retry, job still kept
    // An hour later the completed job is gone; the inbound dedup on msg_id still holds.
    const parsed = parseZaloWebhook(body);
    if (!parsed.success) throw new Error('test event does not validate');
    const queue = h.svc.runtime.zalo!.inbound.queue;
    await queue.remove(zaloInboundJobId(parsed.data, h.svc.runtime.services.cipher));
    expect(await queue.getJob(zaloInboundJobId(parsed.data, h.svc.runtime.services.cipher))).toBeUndefined();
    expect((await postZalo(h.svc, body)).statusCode).toBe(200);
    await zaloProcessed(h.svc, body); // queued and run again…
    expect(sentTo(u)).toHaveLength(1); // …but answered once
    expect(sentTo(u)[0]).toContain('Hướng dẫn');
  });

  it('keeps 19-digit ids as strings and takes an image as a report attachment', async () => {
    const u = newUser();
    await writes(u, '/baocao');
    await writes(u, '5');
    expect((await writes(u, 'na ca')).join('\n')).toContain('kể ngắn gọn');
    const before = sentTo(u).length;
    await deliver(zaloEvent(h.fake.appId, 'user_send_image', u, { attachments: [{ type: 'image', payload: { url: 'https://zalo.example/photo.jpg' } }] }));
    expect(sentTo(u).slice(before).join('\n')).toContain('Đã nhận tệp đính kèm');
    expect(h.fake.messages.some((m) => m.userId === u)).toBe(true); // the exact 19-digit id reached the API
    await writes(u, 'huỷ');
  });
});


describe('Zalo events', () => {
  it('a follow is greeted with the menu through the outbox, choices as numbered lines', async () => {
    const u = newUser();
    await deliver(zaloEvent(h.fake.appId, 'follow', u));
    await until(() => sentTo(u).length === 1, 15_000, 'the greeting');
    const greeting = sentTo(u)[0]!;
    expect(greeting).toContain('Xin chào');
    expect(greeting).toContain('1. 📝 Báo cáo sự việc về trẻ em');
    expect(greeting).toContain('2. 🔎 Hỏi tình trạng báo cáo');
    // The follow opened the window.
    expect((await h.svc.runtime.zalo!.window.state(u)).kind).toBe('open');
  });

  it('an unfollow marks the person unreachable, so nothing is sent; following again undoes it', async () => {
    const u = newUser();
    await writes(u, '/start');
    await deliver(zaloEvent(h.fake.appId, 'unfollow', u));
    const to = { channel: 'zalo' as const, chatId: u };
    expect(await services().outbox.isUnreachable(to)).toBe(true);
    const callsBefore = h.fake.calls.length;
    await enqueue(u, { text: 'Thông báo thử' }, `test-unfollow:${u}`);
    expect((await deadLetterFor(`test-unfollow:${u}`)).reason).toBe('unreachable');
    expect(h.fake.calls.length).toBe(callsBefore);
    await deliver(zaloEvent(h.fake.appId, 'follow', u));
    expect(await services().outbox.isUnreachable(to)).toBe(false);
  });

  it('records when a person answered in the OA chat tool, and ignores the bot\'s own echoes', async () => {
    const u = newUser();
    await deliver(zaloEvent(h.fake.appId, 'oa_send_text', u, { text: 'Chào bạn, cán bộ xã đây', adminId: '9988776655' }));
    await deliver(zaloEvent(h.fake.appId, 'oa_send_text', u, { text: 'tin của hệ thống' }));
    const entries = await services().audit.forSubject(`zalo:${u}`);
    expect(entries.map((e) => [e.actor, e.action])).toEqual([['zalo-admin:9988776655', 'zalo.oa_chat_reply']]);
    expect(JSON.stringify(entries)).not.toContain('cán bộ xã đây'); // no message text in the audit log
    expect(sentTo(u)).toEqual([]);
  });
});

describe('the 7-day window', () => {
  const officer = 'zw-officer';
  const admin = 'zw-admin';
  beforeAll(async () => {
    const since = Date.now();
    await services().roles.assign({ identity: `local:${officer}`, communeId: COMMUNE, role: 'officer', since }, 'test');
    await services().roles.assign({ identity: `local:${admin}`, communeId: COMMUNE, role: 'admin', since }, 'test');
  });

  it('-230 from the API dead-letters the message without retrying and marks the window closed', async () => {
    const u = newUser();
    await writes(u, '/start');
    await outboxIdle();
    const callsBefore = h.fake.calls.length;
    h.fake.failNext(-230);
    await enqueue(u, { text: 'Nhắc: xin gửi số liệu tháng' }, `test-230:${u}`);
    expect((await deadLetterFor(`test-230:${u}`)).reason).toBe('outside_window');
    await outboxIdle();
    expect(h.fake.calls.slice(callsBefore).map((c) => c.error)).toEqual([-230]);
    expect((await h.svc.runtime.zalo!.window.state(u)).kind).toBe('closed');
    // The next message does not even try.
    await enqueue(u, { text: 'Nhắc lần hai' }, `test-230b:${u}`);
    expect((await deadLetterFor(`test-230b:${u}`)).reason).toBe('outside_window');
    expect(h.fake.calls.length).toBe(callsBefore + 1);
    // Writing again reopens it.
    expect(await writes(u, '/start')).toHaveLength(1);
    expect((await h.svc.runtime.zalo!.window.state(u)).kind).toBe('open');
  });

  it('a week after the last interaction nothing goes to Zalo; the officer and the admin are told, once a day', async () => {
    const u = newUser();
    await writes(u, '/start');
    await outboxIdle();
    const officerBefore = (await localInbox(officer)).length;
    const adminBefore = (await localInbox(admin)).length;
    const callsBefore = h.fake.calls.length;
    shift = 7 * DAY + 60_000;
    try {
      await enqueue(u, { text: 'Tình trạng báo cáo của bạn: Đang xử lý' }, `test-window:${u}`);
      expect((await deadLetterFor(`test-window:${u}`)).reason).toBe('outside_window');
      await enqueue(u, { text: 'Tình trạng báo cáo của bạn: Đã xong' }, `test-window2:${u}`);
      await deadLetterFor(`test-window2:${u}`);
      await outboxIdle();
    } finally {
      shift = 0;
    }
    expect(h.fake.calls.length).toBe(callsBefore);
    const told = (await localInbox(officer)).slice(officerBefore);
    expect(told).toHaveLength(1); // one notice for both messages, and no general dead-letter announcement besides
    expect(told[0]).toContain('hơn 7 ngày không nhắn cho kênh Zalo');
    expect(told[0]).not.toContain('Đang xử lý'); // the message itself stays private
    expect((await localInbox(admin)).slice(adminBefore)).toEqual(told);
  });

  it('a village head registered on another channel too gets the message there', async () => {
    const u = newUser();
    const since = Date.now();
    await services().roles.assign({ identity: `zalo:${u}`, communeId: COMMUNE, role: 'village_head', village: 'Thôn Bản Piềng', since }, 'test');
    await services().roles.assign({ identity: 'local:zw-head-banpieng', communeId: COMMUNE, role: 'village_head', village: 'Thôn Bản Piềng', since }, 'test');
    await services().roles.assign({ identity: 'local:zw-head-other', communeId: COMMUNE, role: 'village_head', village: 'Thôn Nà Ca', since }, 'test');
    await h.svc.runtime.zalo!.window.record(u, Date.now() - 8 * DAY);
    await outboxIdle();
    const officerBefore = (await localInbox(officer)).length;
    const callsBefore = h.fake.calls.length;
    await enqueue(u, { text: 'Nhắc: xin gửi số liệu tháng 10 của thôn' }, `remind:test:zalo:${u}`);
    await until(async () => (await localInbox('zw-head-banpieng')).length === 1, 15_000, 'the message on the linked channel');
    await outboxIdle();
    expect(await localInbox('zw-head-banpieng')).toEqual(['Nhắc: xin gửi số liệu tháng 10 của thôn']);
    expect(await localInbox('zw-head-other')).toEqual([]);
    expect((await localInbox(officer)).slice(officerBefore)).toEqual([]);
    expect(h.fake.calls.length).toBe(callsBefore);
  });

  it('someone quiet for more than two days is asked to answer, which keeps the window open', async () => {
    const u = newUser();
    await writes(u, '/start');
    shift = 3 * DAY;
    try {
      await enqueue(u, { text: 'Nhắc: hạn gửi số liệu là ngày 25' }, `test-hint:${u}`);
      await until(() => sentTo(u).length === 2, 15_000, 'the reminder');
    } finally {
      shift = 0;
    }
    expect(sentTo(u)[1]).toBe(`Nhắc: hạn gửi số liệu là ngày 25\n\n${ZALO_REPLY_HINT}`);
  });
});

describe('sending through the outbox', () => {
  it('a message longer than 2,000 characters arrives in parts, in order', async () => {
    const u = newUser();
    await writes(u, '/start');
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Đoạn ${i + 1}: ${'trẻ em cần được bảo vệ '.repeat(6).trim()}.`);
    const text = paragraphs.join('\n\n');
    expect(text.length).toBeGreaterThan(4000);
    await enqueue(u, { text }, `test-long:${u}`);
    await until(() => sentTo(u).length >= 4, 15_000, 'all parts');
    await outboxIdle();
    const parts = sentTo(u).slice(1);
    expect(parts.length).toBe(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join('\n\n')).toBe(text);
  });

  it('100 sends at once with an expired access token: exactly one refresh, all 100 delivered once', async () => {
    const u = newUser();
    await writes(u, '/start');
    await outboxIdle();
    h.fake.expireAccessTokens();
    const refreshesBefore = h.fake.refreshCount;
    const texts = Array.from({ length: 100 }, (_, i) => `Tin số ${i + 1}`);
    await Promise.all(texts.map((t, i) => enqueue(u, { text: t }, `test-bulk:${u}:${i}`)));
    await until(() => sentTo(u).length === 101, 30_000, '100 messages');
    await outboxIdle();
    expect(h.fake.refreshCount - refreshesBefore).toBe(1);
    expect(sentTo(u).slice(1).sort()).toEqual([...texts].sort());
  });

  it('a rejected token refresh tells the admins on their other channels, once', async () => {
    const zaloAdmin = newUser();
    await services().roles.assign({ identity: `zalo:${zaloAdmin}`, communeId: COMMUNE, role: 'admin', since: Date.now() }, 'test');
    const u = newUser();
    await writes(u, '/start');
    await outboxIdle();
    const adminBefore = (await localInbox('zw-admin')).length;
    h.fake.rejectRefreshes(true);
    h.fake.expireAccessTokens();
    try {
      await enqueue(u, { text: 'Tin một' }, `test-reauth:${u}:1`);
      await enqueue(u, { text: 'Tin hai' }, `test-reauth:${u}:2`);
      expect((await deadLetterFor(`test-reauth:${u}:1`)).reason).toBe('permanent');
      await deadLetterFor(`test-reauth:${u}:2`);
      await outboxIdle();
    } finally {
      h.fake.rejectRefreshes(false);
    }
    const told = (await localInbox('zw-admin')).slice(adminBefore).filter((t) => t.includes('npm run zalo:auth'));
    expect(told).toHaveLength(1);
    expect(sentTo(zaloAdmin)).toEqual([]);
  });
});

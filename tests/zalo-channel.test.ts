/**
 * The Zalo OA channel end to end against the fake OA API/OAuth server and a real Redis: the webhook
 * (signatures, malformed bodies, repeats), the inbound job (messages, follow, unfollow, echoes), the
 * 7-day window with its fallback, long messages, and many sends through an expired token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { parseZaloWebhook } from '../src/bot/zalo/webhook-event.js';
import { ZALO_REPLY_HINT } from '../src/bot/zalo/window.js';
import { zaloInboundJobId } from '../src/jobs/zalo-inbound.js';
import type { OutgoingMessage } from '../src/core/message.js';
import { outboxQueueName, type DeadLetter } from '../src/jobs/outbox.js';
import { ZALO_OA_SECRET_KEY, postZalo, startZaloHarness, zaloEvent, zaloProcessed, type ZaloHarness } from './helpers/channels.js';
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
async function deadLetterFor(key: string) {
  let found: DeadLetter | undefined;
  await until(async () => {
    found = (await services().outbox.listDeadLetters(COMMUNE, 1000)).find((d) => d.key === key);
    return found !== undefined;
  }, 15_000, `dead letter ${key}`);
  return found as DeadLetter;
}

async function localInbox(id: string): Promise<string[]> {
  return (await h.svc.runtime.inbox.read(id)).filter((e) => e.from === 'service').map((e) => e.message.text);
}

/** Until nothing is waiting, running or delayed on the outbox queues (so every hook has finished). */
async function outboxIdle(): Promise<void> {
  const queues = (['zalo', 'local'] as const).map((c) => new Queue(outboxQueueName(c), { connection: h.svc.redis.client }));
  try {
    await until(async () => {
      for (const q of queues) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(c).some((n) => n > 0)) return false;
      }
      return true;
    }, 15_000, 'the outbox to be idle');
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

describe('Zalo webhook', () => {
  it('accepts events signed with the OA secret key or with the app secret', async () => {
    const a = newUser();
    const b = newUser();
    const withOaKey = zaloEvent(h.fake.appId, 'user_send_text', a, { text: '/start' });
    const withAppSecret = zaloEvent(h.fake.appId, 'user_send_text', b, { text: '/start' });
    expect((await postZalo(h.svc, withOaKey, ZALO_OA_SECRET_KEY)).statusCode).toBe(200);
    expect((await postZalo(h.svc, withAppSecret, h.fake.appSecret)).statusCode).toBe(200);
    await zaloProcessed(h.svc, withOaKey);
    await zaloProcessed(h.svc, withAppSecret);
    expect(sentTo(a).join('\n')).toContain('/baocao');
    expect(sentTo(b).join('\n')).toContain('/baocao');
  });

  it('refuses forged or unsigned events (401) and malformed ones (400), and processes none of them', async () => {
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
    const noEventName = { app_id: h.fake.appId, timestamp: String(Date.now()), sender: { id: u } };
    expect((await postZalo(h.svc, noEventName)).statusCode).toBe(400);

    expect(await queue.getJobCounts()).toEqual(countsBefore);
    expect(await h.svc.redis.client.exists(`zalo:seen:${u}`)).toBe(0);
    expect(sentTo(u)).toEqual([]);
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
    await queue.remove(zaloInboundJobId(parsed.data));
    expect(await queue.getJob(zaloInboundJobId(parsed.data))).toBeUndefined();
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


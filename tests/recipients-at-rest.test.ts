/**
 * Who a message is for must not be readable in Redis: an attacker with a copy of Redis (a backup, the
 * AOF) but not DATA_KEY looks for a chat id beside a case code or beside a time (which dates the
 * person's report). These tests search the whole of Redis for the chat id, try the plain hashes an
 * attacker would compute, and check that a dead letter sent again keeps its staff-only check.
 */
import { createHash } from 'node:crypto';
import { Api } from 'grammy';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramSender } from '../src/bot/telegram/sender.js';
import { outboxRules } from '../src/actions/outbox/sealed-places.js';
import { COMPLETED_JOB_SECONDS } from '../src/actions/outbox/contract.js';
import { zaloUserTag } from '../src/bot/zalo/user-tag.js';
import { ZaloReplies } from '../src/bot/zalo/replies.js';
import { ZaloWindow } from '../src/bot/zalo/window.js';
import { silentLogger } from '../src/logger.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { rekeyAll } from '../src/store/rekey.js';
import { TestOutbox, type TestOutboxOptions } from './helpers/outbox.js';
import { deadLetterFor, outboxIdle } from './helpers/outbox-wait.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { useTestRedis } from './helpers/redis.js';
import { dumpText } from './helpers/redis-dump.js';
import { until } from './helpers/wait.js';

const TOKEN = '123456:TEST-token';
const KEY = generateDataKey();
const redis = useTestRedis();
let fake: FakeTelegram;
let cipher: DataCipher;
const outboxes: TestOutbox[] = [];

beforeEach(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
  cipher = DataCipher.fromString(KEY);
});
afterEach(async () => {
  await Promise.all(outboxes.splice(0).map((o) => o.close({ force: true }).catch(() => undefined)));
  await fake.close();
  await redis.client.flushall();
});

function makeOutbox(extra: Partial<TestOutboxOptions> = {}): TestOutbox {
  const outbox = new TestOutbox({
    connection: redis.url,
    senders: { telegram: new TelegramSender(new Api(TOKEN, { apiRoot: fake.apiRoot })) },
    logger: silentLogger,
    retry: { attempts: 2, backoffMs: 20 },
    cipher,
    ...extra,
  });
  outboxes.push(outbox);
  return outbox;
}

const tg = (chatId: string) => ({ channel: 'telegram' as const, chatId });
const plainJobId = (key: string) => `ob-${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;

describe('outbox recipients at rest', () => {
  it('a queued, a sent and a dead-lettered message leave no chat id anywhere in Redis', async () => {
    const outbox = makeOutbox();
    const reporter = '7340012345'; // the reporter whose status notice fails (they blocked the bot)
    const officer = '7340067890';
    const reporterKey = `status:${cipher.blind('TE-AB12CD:telegram:7340012345')}:received`;
    await outbox.enqueue({ to: tg(reporter), key: reporterKey, communeId: 'bao-linh', preview: 'trạng thái TE-AB12CD', message: { text: 'Báo cáo TE-AB12CD đã được tiếp nhận' } });
    await outbox.enqueue({ to: tg(officer), key: `alert:TE-AB12CD:telegram:${officer}`, communeId: 'bao-linh', staff: true, message: { text: 'Cảnh báo TE-AB12CD' } });

    // Waiting in the queue: the job holds the recipient sealed, under an id no plain hash finds.
    let dump = await dumpText(redis.client);
    expect(dump).not.toContain(reporter);
    expect(dump).not.toContain(plainJobId(reporterKey));
    expect(await outbox.queue('telegram').getJob(plainJobId(reporterKey))).toBeUndefined();
    const [job] = await outbox.queue('telegram').getJobs(['waiting']);
    expect(job?.data.to).toBeUndefined();
    expect(job?.data.sealedTo).toEqual(expect.any(String));

    fake.blockChat(reporter);
    await outbox.startWorkers();
    const dl = await deadLetterFor(outbox, 'bao-linh', reporterKey);
    await fake.waitForDelivered(1);
    await outboxIdle(outbox);
    expect(dl).toMatchObject({ to: tg(reporter), reason: 'unreachable', preview: 'trạng thái TE-AB12CD' }); // officers still see it opened
    expect(await outbox.isUnreachable(tg(reporter))).toBe(true);
    expect(await outbox.wasSent(`alert:TE-AB12CD:telegram:${officer}`)).toBe(true);

    // After: the dead letter, the unreachable mark, the sent marker, the per-chat slot: all without the ids.
    dump = await dumpText(redis.client);
    expect(dump).not.toContain(reporter);
    expect(dump).not.toContain(`${officer}:TE-AB12CD`);
    expect(dump).not.toContain(`outbox:sent:alert`);
    expect(dump).not.toContain('TE-AB12CD'.replace('-', '')); // nor the code squeezed
  });

  it('a completed job is gone within a minute, with its recipient', async () => {
    const outbox = makeOutbox();
    await outbox.enqueue({ to: tg('7341'), key: 'reminder:7341:T10', message: { text: 'Nhắc' } });
    const [job] = await outbox.queue('telegram').getJobs(['waiting']);
    expect(job?.opts.removeOnComplete).toMatchObject({ age: COMPLETED_JOB_SECONDS });
    expect(COMPLETED_JOB_SECONDS).toBeLessThanOrEqual(60);
    expect(job?.opts.removeOnFail).toBe(true);
  });

  it('a recipient sealed for one message does not open as another message\'s', async () => {
    const outbox = makeOutbox();
    fake.failNext(2, { status: 400, description: 'Bad Request: chat not found' });
    await outbox.enqueue({ to: tg('7350001'), key: 'reminder:a', communeId: 'bao-linh', message: { text: 'A' } });
    await outbox.enqueue({ to: tg('7350002'), key: 'reminder:b', communeId: 'bao-linh', message: { text: 'B' } });
    await outbox.startWorkers();
    await deadLetterFor(outbox, 'bao-linh', 'reminder:a');
    await deadLetterFor(outbox, 'bao-linh', 'reminder:b');
    // The attacker (write access, no key) moves b's recipient into a's dead letter, then asks for a resend.
    const rows = await redis.client.lrange('outbox:dead:bao-linh', 0, -1);
    const parsed = rows.map((r) => JSON.parse(r) as { key: string; sealedTo: string });
    const a = parsed.find((p) => p.key === 'reminder:a')!;
    const b = parsed.find((p) => p.key === 'reminder:b')!;
    await redis.client.lset('outbox:dead:bao-linh', parsed.indexOf(a), JSON.stringify({ ...a, sealedTo: b.sealedTo }));
    await expect(outbox.retryDeadLetter('bao-linh', 'reminder:a')).rejects.toThrow();
    await outboxIdle(outbox);
    expect(fake.messagesTo('7350002')).toEqual([]);
  });

  it('npm run rotate-key re-seals the recipients of jobs and dead letters', async () => {
    const outbox = makeOutbox();
    fake.failNext(1, { status: 400, description: 'Bad Request: chat not found' });
    await outbox.enqueue({ to: tg('7360001'), key: 'reminder:dead', communeId: 'bao-linh', message: { text: 'A' } });
    await outbox.startWorkers();
    await deadLetterFor(outbox, 'bao-linh', 'reminder:dead');
    await outbox.workers.close();
    await outbox.enqueue({ to: tg('7360002'), key: 'reminder:queued', communeId: 'bao-linh', message: { text: 'B' } });

    const next = generateDataKey();
    const rotated = new DataCipher({ current: Buffer.from(next, 'hex'), previous: Buffer.from(KEY, 'hex'), indexKey: cipher.subKey('unused') });
    const report = await rekeyAll(redis.client, rotated, outboxRules);
    expect(report.unreadable).toEqual([]);
    expect(report.resealed).toBe(2); // the job's data and the dead letter, each with message and recipient
    // Only the new key now: the old one is gone, and both recipients still open.
    const only = DataCipher.fromString(next);
    const [job] = await outbox.queue('telegram').getJobs(['waiting']);
    expect(only.isCurrent(job!.data.sealedTo!)).toBe(true);
    expect(only.open(job!.data.sealedTo!, 'outbox:reminder:queued#to')).toEqual(tg('7360002'));
    const [row] = await redis.client.lrange('outbox:dead:bao-linh', 0, -1);
    const stored = JSON.parse(row!) as { sealedTo: string };
    expect(only.open(stored.sealedTo, 'outbox:reminder:dead#to')).toEqual(tg('7360001'));
  });
});

describe('a dead letter sent again', () => {
  it('keeps its staff-only check: a person whose role ended does not get the retried alert', async () => {
    const staff = new Set(['7370001']);
    const outbox = makeOutbox({ isStaff: async (to) => staff.has(to.chatId) });
    fake.failNext(2, { status: 502, description: 'Bad Gateway' }); // both attempts: retries run out
    await outbox.startWorkers();
    const key = 'alert:TE-XY34ZW:telegram:7370001';
    await outbox.enqueue({ to: tg('7370001'), key, communeId: 'bao-linh', staff: true, preview: 'cảnh báo TE-XY34ZW', message: { text: 'Bé Lan, 7 tuổi, bị đánh' } });
    expect(await deadLetterFor(outbox, 'bao-linh', key)).toMatchObject({ reason: 'retries_exhausted', staff: true });

    staff.delete('7370001'); // their role ended meanwhile
    expect(await outbox.retryDeadLetter('bao-linh', key)).toBe('queued');
    await until(async () => (await outbox.listDeadLetters('bao-linh')).some((d) => d.key === key && d.reason === 'not_staff'), 10_000, 'the not_staff dead letter');
    await outboxIdle(outbox);
    expect(fake.messagesTo('7370001')).toEqual([]);
    expect((await outbox.listDeadLetters('bao-linh')).find((d) => d.key === key)).toMatchObject({ staff: true });

    // Still staff: the retried message goes.
    staff.add('7370001');
    expect(await outbox.retryDeadLetter('bao-linh', key)).toBe('queued');
    await until(async () => fake.messagesTo('7370001').length === 1, 10_000, 'the retried alert');
  });
});

describe('Zalo per-person keys', () => {
  it('the window and the free replies keep the last message time under a keyed tag, not the user id', async () => {
    const user = '5839201834756';
    const tag = zaloUserTag(cipher);
    await new ZaloWindow(redis.client, tag).record(user, Date.now());
    await new ZaloReplies(redis.client, tag).recordIncoming(user, 'msg-1', Date.now());
    const dump = await dumpText(redis.client);
    expect(dump).not.toContain(user);
    expect(dump).toContain(tag(user)); // and the keys exist, under the tag
    expect(tag(user)).not.toBe(zaloUserTag(DataCipher.fromString(generateDataKey()))(user)); // keyed
  });
});

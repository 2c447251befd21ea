/**
 * A kill between each pair of steps of a turn (docs/turns.md "Crash points"): the service, compiled (into
 * its own directory, so it never races another test's build), runs as a child process (Telegram webhook
 * mode, a real redis-server, the fake Bot API here) started with
 * NODE_ENV=test and TEST_CRASH_AT=<point>, so it kills itself (SIGKILL) when a turn reaches that point.
 * It is then started again, normally, and the update is re-posted until it gets a 200, as Telegram does.
 * Every time: the retry is answered within seconds, every reply arrives, none twice (except the one part
 * whose send was not yet confirmed when the process died), and the conversation goes on from the
 * right step; a confirmation killed mid-turn saves one report and the citizen gets its code once.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CaseStore } from '../src/store/cases.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { freePort } from '../src/store/redis-server.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';
import { textUpdate } from './helpers/telegram-updates.js';
import { until } from './helpers/wait.js';

const ROOT = resolve(import.meta.dirname, '..');
// Beside dist/ (the compiled code finds config/ and models/ two levels up), ignored by git and lint.
const BUILD = join(ROOT, '.test-dist');
const SECRET = 'crash-secret-0123456789abcdefghijklmnopqrstuv';
const DATA_KEY = generateDataKey();
let redis: TestRedis;
let fake: FakeTelegram;
let port: number;
let dir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', BUILD], { cwd: ROOT, stdio: 'inherit' });
  redis = await startTestRedis();
  fake = await startFakeTelegram();
  port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'treem-crash-'));
}, 180_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await fake.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the service; with `crashAt` it kills itself at that point of a turn. */
async function startService(crashAt?: string): Promise<ChildProcess> {
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATA_DIR: dir,
    DATA_KEY,
    REDIS_URL: redis.url,
    CONFIG_FILE: join(ROOT, 'config/communes.example.yaml'),
    HOST: '127.0.0.1',
    PORT: String(port),
    WORKERS: 'off',
    TELEGRAM_BOT_TOKEN: '123456:CRASH',
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...(crashAt ? { TEST_CRASH_AT: crashAt } : {}),
  };
  const proc = spawn(process.execPath, [join(BUILD, 'main.js')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  child = proc;
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true, 30_000, 'the service');
  return proc;
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await exited;
}

async function post(update: object): Promise<number> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
      body: JSON.stringify(update),
    });
    return res.status;
  } catch {
    return 0; // the process died with the request open
  }
}

/** Re-posts until 200, as Telegram does; returns how long it took. */
async function postUntilAnswered(update: object): Promise<number> {
  const t0 = Date.now();
  await until(async () => (await post(update)) === 200, 20_000, 'a 200');
  return Date.now() - t0;
}

const texts = (chat: number) => fake.callsTo('sendMessage').filter((c) => String(c.payload.chat_id) === String(chat)).map((c) => String(c.payload.text));

/** Runs `update` on a service that dies at `point`, then on a normal one. */
async function crashThenRetry(point: string, update: object): Promise<{ service: ChildProcess; waitMs: number }> {
  const crashing = await startService(point);
  const died = new Promise((r) => crashing.once('exit', r));
  // The last confirmation is not waited for: a kill right after it may come after the 200.
  expect(point === LAST_CONFIRM ? [0, 200] : [0]).toContain(await post(update));
  await died;
  expect(crashing.signalCode).toBe('SIGKILL');
  const service = await startService();
  return { service, waitMs: await postUntilAnswered(update) };
}

// /baocao answers with two parts: thanks, then the category question.
const LAST_CONFIRM = 'after-confirm#2';
const CASES: Array<[point: string, repeated: number | null]> = [
  ['before-begin', null],
  ['after-begin', null],
  ['after-handler', null],
  ['after-commit', null],
  ['after-send#1', 0], // part 1 went out, unconfirmed: sent again
  ['after-confirm#1', null], // between the parts
  ['after-send#2', 1],
  [LAST_CONFIRM, null], // every part confirmed
];

let nextChat = 7700;
it.each(CASES)('killed at %s: answered within seconds, every reply once, the conversation goes on', async (point, repeated) => {
  const chat = nextChat++;
  const { service, waitMs } = await crashThenRetry(point, textUpdate(chat, '/baocao'));
  try {
    expect(waitMs).toBeLessThan(5_000);
    const got = texts(chat);
    const distinct = got.filter((t, i) => got.indexOf(t) === i);
    expect(distinct).toHaveLength(2);
    expect(distinct[0]).toContain('Cảm ơn');
    expect(distinct[1]).toContain('việc gì');
    expect(got).toEqual(repeated === null ? distinct : distinct.flatMap((t, i) => (i === repeated ? [t, t] : [t])));
    expect(await postUntilAnswered(textUpdate(chat, '5'))).toBeLessThan(5_000);
    expect(texts(chat).slice(got.length)).toEqual([expect.stringContaining('thôn/xóm')]);
  } finally {
    await stop(service);
  }
}, 90_000);

it.each(['after-handler', 'after-commit'])('a confirmation killed at %s saves one report, and its code reaches the citizen once', async (point) => {
  const chat = nextChat++;
  let service = await startService();
  for (const answer of ['/baocao', '5', 'na ca', 'Cháu bé bị đánh nhiều lần, có vết bầm', 'hôm nay', '8', 'nữ', 'không', 'bỏ qua', 'bỏ qua', 'ẩn danh']) {
    await postUntilAnswered(textUpdate(chat, answer));
  }
  await stop(service);
  ({ service } = await crashThenRetry(point, textUpdate(chat, 'gửi')));
  try {
    const reports = await new CaseStore(redis.client, DataCipher.fromString(DATA_KEY)).listByReporter(`telegram:${chat}`);
    expect(reports).toHaveLength(1);
    const withCode = texts(chat).filter((t) => t.includes(reports[0]?.code ?? '?'));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]).toContain('Đã nhận báo cáo');
  } finally {
    await stop(service);
  }
}, 120_000);

// The second turn of a process runs on the state it committed first, begun and committed by one script
// (docs/turns.md, "One round trip"): killed after its handler (nothing written) or after that script.
it.each(['after-handler#2', 'after-commit#2'])('a turn on the last state killed at %s: its reply arrives once, the conversation goes on', async (point) => {
  const chat = nextChat++;
  const crashing = await startService(point);
  const died = new Promise((r) => crashing.once('exit', r));
  expect(await post(textUpdate(chat, '/baocao'))).toBe(200);
  const five = textUpdate(chat, '5');
  expect(await post(five)).toBe(0);
  await died;
  expect(crashing.signalCode).toBe('SIGKILL');
  const service = await startService();
  try {
    expect(await postUntilAnswered(five)).toBeLessThan(5_000);
    expect(texts(chat).filter((t) => t.includes('thôn/xóm'))).toHaveLength(1);
    expect(await postUntilAnswered(textUpdate(chat, 'na ca'))).toBeLessThan(5_000);
    expect(texts(chat).at(-1)).toContain('kể ngắn gọn');
  } finally {
    await stop(service);
  }
}, 90_000);

/**
 * Production runs the compiled code straight under node (`npm run build`, then `node dist/main.js` and
 * `node dist/worker.js`), so a signal reaches the service itself. Built once here, then each entry is
 * started from another working directory (its files must be found from dist/, not from the cwd) and
 * sent SIGTERM: it must exit 0, free its port and leave no child behind (the private redis-server).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/store/redis-server.js';
import { generateDataKey } from '../src/store/crypto.js';
import { startFakeTelegram, type FakeTelegram } from './helpers/fake-telegram.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';
import { textUpdate } from './helpers/telegram-updates.js';
import { until } from './helpers/wait.js';

const ROOT = resolve(import.meta.dirname, '..');
let cwd: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  cwd = mkdtempSync(join(tmpdir(), 'treem-prod-'));
}, 180_000);

afterAll(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

function run(entry: 'main' | 'worker', env: Record<string, string>): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string; stdout: () => string } {
  const child = spawn(process.execPath, [join(ROOT, 'dist', `${entry}.js`)], {
    cwd,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', DATA_DIR: join(cwd, `data-${entry}`), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exit, stderr: () => stderr, stdout: () => stdout };
}

/** Process ids of a process's children, from /proc. */
function childrenOf(pid: number): number[] {
  const tasks = readdirSync(`/proc/${pid}/task`);
  return tasks.flatMap((t) => readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolveOpen) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolveOpen(true)));
    socket.once('error', () => resolveOpen(false));
  });

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

describe('node dist/main.js', () => {
  it('local mode: serves the chat page, then on SIGTERM exits 0, closes its port and stops its own redis-server', async () => {
    const port = await freePort();
    const svc = run('main', { PORT: String(port) });
    await until(() => healthy(port), 30_000, `the service on ${port} (stderr: ${svc.stderr()})`);
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const children = childrenOf(svc.child.pid as number);
    expect(children).toHaveLength(1); // the private redis-server
    svc.child.kill('SIGTERM');
    expect(await svc.exit).toBe(0);
    expect(await portOpen(port)).toBe(false);
    expect(children.filter(alive)).toEqual([]);
  }, 60_000);

  describe('with Telegram (webhook) and an external Redis', () => {
    let redis: TestRedis;
    let fake: FakeTelegram;
    beforeAll(async () => {
      redis = await startTestRedis();
      fake = await startFakeTelegram();
    });
    afterAll(async () => {
      await fake?.close();
      await redis?.stop();
    });

    it('answers an update, then on SIGTERM exits 0 with its port closed; the worker process does too', async () => {
      const port = await freePort();
      const env = { REDIS_URL: redis.url, DATA_KEY: generateDataKey(), TELEGRAM_BOT_TOKEN: '123456:PROD', TELEGRAM_API_ROOT: fake.apiRoot };
      const web = run('main', { ...env, PORT: String(port), TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: 'prod-secret-0123456789abcdefghijklmnopqrstuv', WORKERS: 'off' });
      const worker = run('worker', env);
      await until(() => healthy(port), 30_000, `the web process (stderr: ${web.stderr()})`);
      const res = await fetch(`http://127.0.0.1:${port}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'prod-secret-0123456789abcdefghijklmnopqrstuv' },
        body: JSON.stringify(textUpdate(4242, '/start')),
      });
      expect(res.status).toBe(200);
      await fake.waitForSendMessage(1);
      expect(String(fake.callsTo('sendMessage')[0]?.payload.chat_id)).toBe('4242');
      await until(() => worker.stdout().includes('worker process started'), 30_000, `the worker process (stderr: ${worker.stderr()})`);
      expect(childrenOf(web.child.pid as number)).toEqual([]);

      web.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      expect(await web.exit).toBe(0);
      expect(await worker.exit).toBe(0);
      expect(await portOpen(port)).toBe(false);
      // Nothing went wrong on the way down: no error lines, and each said it was shutting down.
      for (const p of [web, worker]) {
        expect(p.stderr()).toBe('');
        expect(p.stdout()).toContain('"signal":"SIGTERM"');
        expect(p.stdout()).not.toContain('"level":50');
      }
    }, 60_000);
  });
});

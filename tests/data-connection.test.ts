/**
 * The data connection's writes (src/store/connections.ts, docs/redis.md): the commands of one event loop
 * iteration leave in one write, even from separate callbacks (as many webhook requests read at once), and a lazy command (a turn's last confirmation) waits for the next commands' write, or
 * a moment, instead of costing a write of its own. The turn path's scripts (src/store/lua.ts) are
 * written as one Buffer each: their arguments arrive byte for byte, by SHA once the text was sent.
 */
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.js';
import { openRedis, sendLazily } from '../src/store/connections.js';
import { LuaScript } from '../src/store/lua.js';
import { useTestRedis } from './helpers/redis.js';

const server = useTestRedis();
let redis: Redis;
let writes = 0;

beforeAll(async () => {
  redis = openRedis({ mode: 'single', url: server.url }, 'data', silentLogger);
  await redis.ping();
  // What reaches the socket's handle: one call per write (writev when corked chunks go together).
  const socket = redis.stream as Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
  for (const name of ['_write', '_writev'] as const) {
    const original = socket[name].bind(socket);
    socket[name] = (...a: unknown[]) => {
      writes++;
      original(...a);
    };
  }
});
afterAll(() => redis.disconnect());

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

it('commands of one tick leave in one write', async () => {
  writes = 0;
  await Promise.all([redis.set('a', '1'), redis.get('a'), redis.incr('n')]);
  expect(writes).toBe(1);
});

it('commands of separate callbacks of one loop iteration leave in one write', async () => {
  writes = 0;
  // Two immediates queued together run in one check phase, as several requests read together run in one
  // poll phase (two timers may fall due a millisecond apart, in two iterations).
  const issued = [redis.set.bind(redis, 'x', '1'), redis.incr.bind(redis, 'n')].map((command) => new Promise((resolve) => setImmediate(() => resolve(command()))));
  await Promise.all(await Promise.all(issued));
  expect(writes).toBe(1);
});

it("a lazy command shares the next tick's write, in order", async () => {
  writes = 0;
  const lazy = sendLazily(redis, () => redis.set('lazy', 'first'));
  await nextTick();
  expect(writes).toBe(0);
  const [, read] = await Promise.all([lazy, redis.get('lazy')]);
  expect(read).toBe('first');
  expect(writes).toBe(1);
});

it('a lazy command with nothing after it still leaves within a moment', async () => {
  writes = 0;
  const t0 = Date.now();
  expect(await sendLazily(redis, () => redis.set('alone', 'x'))).toBe('OK');
  expect(writes).toBe(1);
  expect(Date.now() - t0).toBeLessThan(1_000);
});

const echo = new LuaScript({ numberOfKeys: 1, lua: `return {KEYS[1], unpack(ARGV)}` });

/** How many times Redis ran EVAL and EVALSHA so far (INFO commandstats). */
async function evals(): Promise<{ eval: number; evalsha: number }> {
  const info = await server.client.info('commandstats');
  const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
}

it('a script gets its arguments byte for byte, by SHA once the connection was sent its text, and again after a flush', async () => {
  const args = ['Chọn một mục: "Đánh đập" 🙂', 'v2.' + 'x'.repeat(5_000), '', 42, 'ASCII only'];
  const own = openRedis({ mode: 'single', url: server.url }, 'data', silentLogger);
  try {
    const before = await evals();
    expect(await echo.call(own, 'k:{p}', ...args)).toEqual(['k:{p}', ...args.map(String)]);
    expect(await echo.call(own, 'k:{p}', ...args)).toEqual(['k:{p}', ...args.map(String)]);
    expect(await evals()).toEqual({ eval: before.eval + 1, evalsha: before.evalsha + 1 });
    await server.client.script('FLUSH');
    // Together with other commands, in one write, as on the turn path.
    const [, answer] = await Promise.all([own.set('beside', '1'), echo.call(own, 'k:{p}', 'after the flush')]);
    expect(answer).toEqual(['k:{p}', 'after the flush']);
    expect(await evals()).toEqual({ eval: before.eval + 2, evalsha: before.evalsha + 2 });
  } finally {
    own.disconnect();
  }
});

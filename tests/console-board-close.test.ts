/**
 * The queue dashboard's inner Fastify instance (src/console/routes/admin.ts) is built on first use and
 * closed with the console: its onClose hooks run, a board still being built is closed once built, and
 * closing never builds one.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazyInstance } from '../src/console/routes/admin.js';

function counted(): { build: () => Promise<FastifyInstance>; built: FastifyInstance[]; closed: FastifyInstance[] } {
  const built: FastifyInstance[] = [];
  const closed: FastifyInstance[] = [];
  const build = async (): Promise<FastifyInstance> => {
    const app = Fastify({ logger: false });
    app.addHook('onClose', async (instance) => {
      closed.push(instance);
    });
    await app.ready();
    built.push(app);
    return app;
  };
  return { build, built, closed };
}

describe('the lazily built dashboard instance', () => {
  it('is built once, closed on close, and built anew if asked for afterwards', async () => {
    const { build, built, closed } = counted();
    const board = lazyInstance(build);
    const [a, b] = await Promise.all([board.get(), board.get()]);
    expect(a).toBe(b);
    expect(built).toHaveLength(1);
    await board.close();
    expect(closed).toEqual([a]);
    const again = await board.get();
    expect(again).not.toBe(a);
    await board.close();
    expect(closed).toEqual([a, again]);
  });

  it('is not built by closing, and a board still being built is closed once built', async () => {
    const { build, built, closed } = counted();
    const board = lazyInstance(build);
    await board.close();
    expect(built).toHaveLength(0);
    const pending = board.get();
    await board.close();
    expect(closed).toEqual([await pending]);
  });

  it('closes quietly after a failed build, and retries the build next time', async () => {
    let fail = true;
    const { build, built } = counted();
    const board = lazyInstance(async () => {
      if (fail) throw new Error('no bull-board');
      return build();
    });
    await expect(board.get()).rejects.toThrow('no bull-board');
    await expect(board.close()).resolves.toBeUndefined();
    fail = false;
    await board.get();
    expect(built).toHaveLength(1);
    await board.close();
  });

  it('is closed with the app it serves (the onClose hook of the console)', async () => {
    const { build, closed } = counted();
    const board = lazyInstance(build);
    const app = Fastify({ logger: false });
    await app.register(async (scope) => {
      scope.addHook('onClose', board.close);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const inner = await board.get();
    await app.close();
    expect(closed).toEqual([inner]);
    expect(app.server.listening).toBe(false);
  });
});

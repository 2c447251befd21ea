/** /healthz: is Redis answering, are the queues reachable. */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean>;
}

export function registerHealth(app: FastifyInstance, redis: Redis, checks: HealthCheck[]): void {
  const all: HealthCheck[] = [{ name: 'redis', check: async () => (await redis.ping()) === 'PONG' }, ...checks];

  app.get('/healthz', async (_req, reply) => {
    const results: Record<string, boolean> = {};
    await Promise.all(
      all.map(async (c) => {
        results[c.name] = await Promise.race([
          c.check().catch(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref()),
        ]);
      }),
    );
    const ok = Object.values(results).every(Boolean);
    return reply.code(ok ? 200 : 503).send({ ok, checks: results });
  });
}

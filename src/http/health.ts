/**
 * /healthz: is Redis answering, are the queues reachable. The answer is public (a load balancer asks
 * it): 200 or 503 with `{ok}`. Which part failed is shown only with `Authorization: Bearer <METRICS_TOKEN>`.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { bearerOk } from './metrics.js';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean>;
}

export function registerHealth(app: FastifyInstance, redis: Redis, checks: HealthCheck[], opts: { token?: string } = {}): void {
  const all: HealthCheck[] = [{ name: 'redis', check: async () => (await redis.ping()) === 'PONG' }, ...checks];

  app.get('/healthz', async (req, reply) => {
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
    const details = opts.token !== undefined && bearerOk(req, opts.token);
    return reply.code(ok ? 200 : 503).send(details ? { ok, checks: results } : { ok });
  });
}

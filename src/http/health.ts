/** /healthz (is Redis answering, are the queues reachable) and /metrics (Prometheus). */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { collectDefaultMetrics, register } from 'prom-client';

export interface HealthCheck {
  name: string;
  check(): Promise<boolean>;
}

let defaultMetricsStarted = false;

export function registerHealth(app: FastifyInstance, redis: Redis, checks: HealthCheck[]): void {
  if (!defaultMetricsStarted) {
    collectDefaultMetrics();
    defaultMetricsStarted = true;
  }
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

  app.get('/metrics', async (_req, reply) => reply.type(register.contentType).send(await register.metrics()));
}

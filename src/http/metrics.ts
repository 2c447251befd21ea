/**
 * Where /metrics is served (the metrics themselves: src/actions/metrics.ts). Never open to the world: on
 * the main port it answers only with `Authorization: Bearer <METRICS_TOKEN>`, and METRICS_PORT adds a
 * listener of its own (by default on 127.0.0.1) for a Prometheus on the same host or network.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { register } from 'prom-client';
import { domainMetrics } from '../actions/metrics.js';

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function bearerOk(req: FastifyRequest, token: string): boolean {
  const sent = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return sent.length === want.length && timingSafeEqual(sent, want);
}

/** /metrics on a server: with a token it asks for it; `open` serves it to anyone who reaches the listener. */
export function registerMetrics(app: FastifyInstance, opts: { token?: string; open?: boolean }): void {
  domainMetrics();
  app.get('/metrics', async (req, reply) => {
    const allowed = opts.token ? bearerOk(req, opts.token) : opts.open === true;
    if (!allowed) return reply.code(opts.token ? 401 : 404).send(opts.token ? 'unauthorized\n' : 'not found\n');
    return reply.type(register.contentType).send(await register.metrics());
  });
}

/** The separate metrics listener (METRICS_PORT); the entry point starts and stops it. */
export function buildMetricsServer(token?: string): FastifyInstance {
  const app = Fastify({ logger: false });
  registerMetrics(app, { token, open: !token });
  return app;
}

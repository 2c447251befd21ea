import { expect, it } from 'vitest';
import { startService } from './helpers/service.js';

it('/healthz says whether Redis and the queues are reachable, which part only to the token; /metrics serves Prometheus text to the token only', async () => {
  const svc = await startService({ METRICS_TOKEN: 'metrics-token-for-tests' });
  try {
    const ok = await svc.app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
    const detailed = await svc.app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Bearer metrics-token-for-tests' } });
    expect(detailed.json()).toEqual({ ok: true, checks: { redis: true, queues: true } });
    const forged = await svc.app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Bearer wrong-token-for-tests!' } });
    expect(forged.json()).toEqual({ ok: true });
    const metrics = await svc.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer metrics-token-for-tests' } });
    expect(metrics.body).toContain('process_cpu_seconds_total');
    expect(metrics.body).toContain('treem_queue_jobs{queue="alerts",state="waiting"} 0');
    expect((await svc.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await svc.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong-token-for-tests!' } })).statusCode).toBe(401);

    await svc.redis.stop(); // the database goes away
    const down = await svc.app.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ ok: false });
    const downDetailed = await svc.app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Bearer metrics-token-for-tests' } });
    expect(downDetailed.json()).toMatchObject({ ok: false, checks: { redis: false, queues: false } });
  } finally {
    await svc.app.close();
    svc.runtime.redis.disconnect();
    await svc.runtime.services.outbox.close({ force: true });
  }
});

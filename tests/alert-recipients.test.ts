/**
 * Minimum disclosure: who was alerted about a case is not kept after the case ends (one day, for
 * the last notices), and a reopened case keeps its list again.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recipientsKey, recordRecipients } from '../src/actions/case-alerts.js';
import { startService, type TestService } from './helpers/service.js';

let svc: TestService;
beforeAll(async () => {
  svc = await startService();
});
afterAll(async () => svc?.stop());

it('the alert recipient list expires with the case, and is kept again when it reopens', async () => {
  const s = svc.runtime.services;
  const r = await s.cases.create({
    communeId: 'bao-linh',
    category: 'violence',
    urgency: 'P2',
    alertRoles: ['officer'],
    village: 'Thôn Nà Ca',
    inDanger: 'no',
    channel: 'local',
    details: { description: 'x', child: {}, reporter: { identity: 'local:dan-ttl' }, attachments: [] },
  });
  await recordRecipients(s, r.code, ['local:cb-1', 'local:cb-2']);
  const ttl = () => svc.redis.client.ttl(recipientsKey(r.code));
  expect(await ttl()).toBeGreaterThan(100 * 86400);
  expect((await s.cases.take(r.code, 'local:cb-1')).result).toBe('taken');
  expect(await s.cases.setStatus(r.code, 'closed', 'local:cb-1')).toBeDefined();
  expect(await ttl()).toBeLessThanOrEqual(86400);
  expect(await ttl()).toBeGreaterThan(0);
  expect(await s.cases.setStatus(r.code, 'assessing', 'local:cb-1', Date.now(), 'mở lại', { reopen: true })).toBeDefined();
  expect(await ttl()).toBeGreaterThan(100 * 86400);
});

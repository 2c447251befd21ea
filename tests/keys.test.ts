/**
 * DATA_KEY as an attacker or an unlucky operator meets it: a sealed value moved to another record, a
 * start with the wrong key, a rotation stopped half-way, a draft nobody can open any more, a Redis from
 * before key ids. Real redis-servers, the real CLI and entry point.
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../src/store/cases.js';
import { DataCipher, generateDataKey, keyIdOf, parseDataKey, SealError } from '../src/store/crypto.js';
import { KEY_RING, KeyMismatchError, openKeyRing, ringState } from '../src/store/key-ring.js';
import { rekeyAll, ROTATION } from '../src/store/rekey.js';
import { storeRules } from '../src/store/sealed-places.js';
import { SessionStore } from '../src/store/sessions.js';
import type { NewReport } from '../src/store/reports.js';
import { sampleReport } from './helpers/reports.js';
import { LocalChatUser } from './helpers/local-chat.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';
import { dumpText } from './helpers/redis-dump.js';
import { startService, type TestService } from './helpers/service.js';

const report = (name: string): NewReport =>
  sampleReport({}, { description: `${name} bị đánh`, child: { name }, reporter: { identity: `local:${name}`, name: 'Người báo', phone: '0912345678' } });

/** The run of the CLI or the entry point against `redis`, with the given keys; status and output. */
function run(script: string, redis: TestRedis, env: Record<string, string>): { status: number | null; out: string } {
  const r = spawnSync('npx', ['tsx', script], {
    env: { ...process.env, REDIS_URL: redis.url, LOG_LEVEL: 'silent', CONFIG_FILE: 'config/communes.example.yaml', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A value as sealed before key ids (v1: no key id, no context). */
function legacySeal(key: string, value: unknown): string {
  const enc = Buffer.from(hkdfSync('sha256', parseDataKey(key), Buffer.alloc(0), 'treem:enc', 32));
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', enc, iv);
  const ct = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
  return ['v1', iv.toString('base64'), c.getAuthTag().toString('base64'), ct.toString('base64')].join('.');
}

describe('nonces', () => {
  it('every seal has its own nonce, across refills of the nonce pool, and each opens', () => {
    const cipher = DataCipher.fromString(generateDataKey());
    // More seals than one pool holds (341), so the pool is refilled in between.
    const sealed = Array.from({ length: 1000 }, (_, i) => cipher.sealText(`bản nháp ${i}`, 'session:{p}'));
    expect(new Set(sealed.map((s) => s.split('.')[2])).size).toBe(1000);
    sealed.forEach((s, i) => expect(cipher.openText(s, 'session:{p}')).toBe(`bản nháp ${i}`));
  });
});

describe('sealed values are bound to their record and field', () => {
  let redis: TestRedis;
  let cipher: DataCipher;
  let cases: CaseStore;
  beforeAll(async () => {
    redis = await startTestRedis();
    cipher = await openKeyRing(redis.client, { current: generateDataKey() });
    cases = new CaseStore(redis.client, cipher);
  });
  afterAll(async () => redis.stop());

  it("a report's sealed details copied onto another report do not open there", async () => {
    const a = await cases.create(report('Lan'));
    const b = await cases.create(report('Hoa'));
    expect((await cases.openDetails(a.code))?.child.name).toBe('Lan');
    const stolen = (await redis.client.hget(`report:${a.code}`, 'sealed')) as string;
    await redis.client.hset(`report:${b.code}`, 'sealed', stolen);
    await expect(cases.openDetails(b.code)).rejects.toThrow(SealError);
    // Nor under another field of its own record.
    expect(() => cipher.open(stolen, `report:${a.code}#note`)).toThrow(SealError);
  });

  it('a timeline entry copied into another case does not open there', async () => {
    const a = await cases.create(report('Mai'));
    const b = await cases.create(report('Cúc'));
    await cases.addEntry(a.code, { at: 1, actor: 'officer', kind: 'note', text: 'gặp gia đình Mai' });
    const [entry] = await redis.client.lrange(`case:${a.code}:timeline`, 0, 0);
    await redis.client.rpush(`case:${b.code}:timeline`, entry as string);
    expect((await cases.timeline(a.code)).map((e) => e.text)).toContain('gặp gia đình Mai');
    await expect(cases.timeline(b.code)).rejects.toThrow(SealError);
  });

  it("a person's draft copied to another person does not open for them", async () => {
    const sessions = new SessionStore(redis.client, cipher, 3600);
    await sessions.save('local:victim', { flow: 'report', step: 'story', data: { description: 'bí mật' }, history: [], startedAt: 1, updatedAt: 1 });
    const blob = (await redis.client.get(sessions.keys('local:victim').session)) as string;
    await redis.client.set(sessions.keys('local:thief').session, blob);
    await expect(sessions.get('local:thief')).rejects.toThrow(SealError);
    expect((await sessions.get('local:victim'))?.data.description).toBe('bí mật');
  });
});

describe('a wrong DATA_KEY is refused at start-up', () => {
  let redis: TestRedis;
  const right = generateDataKey();
  beforeAll(async () => {
    redis = await startTestRedis();
    await new CaseStore(redis.client, await openKeyRing(redis.client, { current: right })).create(report('Lan'));
  });
  afterAll(async () => redis.stop());

  it('openKeyRing refuses another key and names both key ids', async () => {
    const wrong = generateDataKey();
    const err = await openKeyRing(redis.client, { current: wrong }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    expect((err as Error).message).toContain(keyIdOf(parseDataKey(right)));
    expect((err as Error).message).toContain(keyIdOf(parseDataKey(wrong)));
    // Nothing was written for the wrong key: the right one still opens everything.
    expect(Object.keys(await redis.client.hgetall(KEY_RING)).sort()).toEqual(['index:' + keyIdOf(parseDataKey(right)), 'kid']);
  });

  it('npm start with the wrong key exits with the message, before serving anything', () => {
    const r = run('src/main.ts', redis, { DATA_KEY: generateDataKey(), TELEGRAM_BOT_TOKEN: '123:abc', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', PORT: '0' });
    expect(r.status).toBe(1);
    expect(r.out).toContain('Refusing to start: the data in this Redis is sealed under key');
    expect(r.out).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  it('a Redis from before key ids with a report: the wrong key is refused, the right one opens the old value', async () => {
    const old = await startTestRedis();
    try {
      const key = generateDataKey();
      await old.client.hset('report:TE-AAAAAA', { communeId: 'bao-linh', status: 'new', sealed: legacySeal(key, report('Lan').details) });
      const err = await openKeyRing(old.client, { current: generateDataKey() }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KeyMismatchError);
      expect((err as Error).message).toContain('report:TE-AAAAAA');
      expect(await ringState(old.client)).toBeUndefined();
      const cipher = await openKeyRing(old.client, { current: key });
      expect((await new CaseStore(old.client, cipher).openDetails('TE-AAAAAA'))?.child.name).toBe('Lan');
      // Index keys keep their names: the ring's index key is the one derived from DATA_KEY before.
      expect(cipher.blind('x')).toBe(DataCipher.fromString(key).blind('x'));
      // rotate-key with the same key re-seals the v1 value as v2, bound to its record.
      const r = await rekeyAll(old.client, cipher, storeRules);
      expect(r.resealed).toBe(1);
      expect(await old.client.hget('report:TE-AAAAAA', 'sealed')).toMatch(new RegExp(`^v2\\.${cipher.keyId}\\.`));
      expect((await new CaseStore(old.client, cipher).openDetails('TE-AAAAAA'))?.child.name).toBe('Lan');
    } finally {
      await old.stop();
    }
  });
});

describe('rotation: npm run rotate-key while the service runs', () => {
  const oldKey = generateDataKey();
  const newKey = generateDataKey();
  const oldId = keyIdOf(parseDataKey(oldKey));
  let svc: TestService;
  let code: string;

  beforeAll(async () => {
    svc = await startService({}, { dataKey: oldKey });
    const s = svc.runtime.services;
    code = (await s.cases.create(report('Lan'))).code;
    await s.cases.addEntry(code, { at: 1, actor: 'officer', kind: 'note', text: 'đã gặp Lan' });
    await new LocalChatUser(() => svc.app, 'dang-do').say('tôi muốn báo cáo'); // a draft in progress
    await s.outbox.enqueue({ to: { channel: 'local', chatId: 'x' }, key: `test:${code}`, message: { text: 'tin hẹn giờ về Lan' }, preview: 'hẹn giờ', delayMs: 3600_000 });
  });
  afterAll(async () => svc.redis.stop());

  it('re-seals everything; afterwards the new key alone reads it all and the old key alone is refused', async () => {
    // Every process restarts with both keys first, then the tool runs.
    await svc.app.close();
    await svc.runtime.close();
    const both = await startService({}, { redis: svc.redis, dataKey: newKey, dataKeyPrevious: oldKey });
    try {
      expect(await both.runtime.services.cases.openDetails(code)).toMatchObject({ child: { name: 'Lan' } });
      const before = await dumpText(svc.redis.client);
      expect(before).toContain(`v2.${oldId}.`);
      const r = run('src/cli/rotate-key.ts', svc.redis, { DATA_KEY: newKey, DATA_KEY_PREVIOUS: oldKey });
      expect(r.out).toMatch(/Done: \d+ values re-sealed/);
      expect(r.status).toBe(0);
    } finally {
      await both.stop();
    }
    const after = await dumpText(svc.redis.client);
    expect(after).not.toContain(`v2.${oldId}.`);
    expect(after).not.toMatch(/\bv1\./);
    expect(await ringState(svc.redis.client)).toEqual({ kid: keyIdOf(parseDataKey(newKey)) });

    const only = await startService({}, { redis: svc.redis, dataKey: newKey });
    try {
      const s = only.runtime.services;
      expect(await s.cases.openDetails(code)).toMatchObject({ child: { name: 'Lan' } });
      expect((await s.cases.timeline(code)).map((e) => e.text)).toContain('đã gặp Lan');
      expect(await s.outbox.queuedMessage({ channel: 'local' }, `test:${code}`)).toEqual({ text: 'tin hẹn giờ về Lan' });
      // The draft survived the rotation: the person carries on where they were.
      const reply = await new LocalChatUser(() => only.app, 'dang-do').say('5');
      expect(reply.map((m) => m.text).join('\n')).toContain('thôn');
    } finally {
      await only.app.close();
      await only.runtime.close();
    }
    await expect(openKeyRing(svc.redis.client, { current: oldKey })).rejects.toThrow(KeyMismatchError);
  });
});

describe('a rotation stopped half-way resumes', () => {
  it('keeps its cursor in Redis, and the second run finishes the job without redoing it', async () => {
    const redis = await startTestRedis();
    try {
      const oldKey = generateDataKey();
      const newKey = generateDataKey();
      const sessions = new SessionStore(redis.client, await openKeyRing(redis.client, { current: oldKey }), 3600);
      const people = Array.from({ length: 900 }, (_, i) => `local:p${i}`);
      for (const p of people) await sessions.save(p, { flow: 'report', step: 'story', data: { who: p }, history: [], startedAt: 1, updatedAt: 1 });
      const cipher = await openKeyRing(redis.client, { current: newKey, previous: oldKey });
      let batches = 0;
      await expect(
        rekeyAll(redis.client, cipher, storeRules, () => {
          if (++batches === 2) throw new Error('stopped');
        }),
      ).rejects.toThrow('stopped');
      const saved = await redis.client.hgetall(ROTATION);
      expect(saved.target).toBe(cipher.keyId);
      expect(saved.cursor).not.toBe('0');
      const firstRun = Number(saved.resealed);
      expect(firstRun).toBeGreaterThan(0);
      expect(firstRun).toBeLessThan(people.length);
      expect((await ringState(redis.client))?.kid).toBe(keyIdOf(parseDataKey(oldKey)));

      const r = await rekeyAll(redis.client, cipher, storeRules);
      expect(r.resealed).toBe(people.length); // counted across both runs, each value once
      expect(await redis.client.exists(ROTATION)).toBe(0);
      const newOnly = new SessionStore(redis.client, await openKeyRing(redis.client, { current: newKey }), 3600);
      for (const p of people.slice(0, 50)) expect((await newOnly.get(p))?.data.who).toBe(p);
    } finally {
      await redis.stop();
    }
  });
});

describe('a draft that cannot be opened never blocks the person', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startService();
  });
  afterAll(async () => svc.stop());

  it('/huy answers with an apology and drops the draft; /start then works', async () => {
    const u = new LocalChatUser(() => svc.app, 'mat-khoa');
    await u.say('tôi muốn báo cáo');
    const key = svc.runtime.services.sessions.keys('local:mat-khoa').session;
    // The draft as a lost key left it: sealed under a key this service does not have.
    await svc.redis.client.set(key, DataCipher.fromString(generateDataKey()).seal({ flow: 'report' }, key), 'EX', 3600);
    const replies = (await u.say('/huy')).map((m) => m.text).join('\n');
    expect(replies).toContain('không mở lại được');
    expect(await svc.redis.client.exists(key)).toBe(0);
    const again = (await u.say('/start')).map((m) => m.text).join('\n');
    expect(again).not.toContain('không mở lại được');
    expect(again).toContain('báo');
  });
});

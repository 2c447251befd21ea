/**
 * The audit log's hash chain against someone with write access to Redis but not DATA_KEY: every way
 * of editing the stream (delete, change, insert, back-date, cut the newest, forge) is found by
 * `verify`, which names the first entry broken; `npm run audit` says so with its exit code. Views are
 * logged only once the details were shown: a failed decryption, or a failed page, is not a view.
 * Exports and reports from the command line are audited.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_HEAD, AUDIT_STREAM, AuditLog } from '../src/store/audit.js';
import { CaseStore } from '../src/store/cases.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import type { NewReport } from '../src/store/reports.js';
import { sampleReport } from './helpers/reports.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';

const run = promisify(execFile);
const KEY = generateDataKey();
const cipher = DataCipher.fromString(KEY);
const CONFIG = 'config/communes.example.yaml';

let redis: TestRedis;
let audit: AuditLog;

const report: NewReport = sampleReport({ urgency: 'P2' }, { child: { name: 'Lò Văn Tú' }, reporter: { identity: 'local:dan' } });

async function cli(script: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(join('node_modules', '.bin', 'tsx'), [script, ...args], {
      env: { ...process.env, REDIS_URL: redis.url, CONFIG_FILE: CONFIG, DATA_KEY: KEY, LOG_LEVEL: 'silent' },
    });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

async function entries(): Promise<Array<[string, string[]]>> {
  return (await redis.client.xrange(AUDIT_STREAM, '-', '+')) as Array<[string, string[]]>;
}

/** Ten entries from several writers, as the service makes them. */
async function seed(): Promise<void> {
  for (let i = 0; i < 10; i++) await audit.add({ actor: `telegram:${i}`, action: i % 2 ? 'report.view' : 'web.signin', subject: i % 2 ? 'TE-AAAAAA' : 'bao-linh' });
}

beforeAll(async () => {
  redis = await startTestRedis();
  audit = new AuditLog(redis.client, cipher);
});
afterAll(async () => redis.stop());
beforeEach(async () => {
  await redis.client.flushall();
  await seed();
});

describe('an attacker with Redis but not DATA_KEY', () => {
  it('cannot delete an entry unnoticed (XDEL): verify names the entry after the gap', async () => {
    expect(await audit.verify()).toEqual({ ok: true, entries: 10, unchained: 0, head: expect.stringMatching(/^10 [0-9a-f]{40}$/) });
    const rows = await entries();
    await redis.client.xdel(AUDIT_STREAM, rows[4]![0]);
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { id: rows[5]![0], seq: 6, reason: expect.stringContaining('5..5 are missing') } });
  });

  it('cannot change an entry, even by rebuilding the stream with the same ids', async () => {
    const rows = await entries();
    await redis.client.del(AUDIT_STREAM);
    for (const [id, kv] of rows) {
      const fields = id === rows[3]![0] ? kv.map((v) => (v === 'telegram:3' ? 'telegram:999' : v)) : kv;
      await redis.client.xadd(AUDIT_STREAM, id, ...fields);
    }
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { id: rows[3]![0], seq: 4, reason: expect.stringContaining('MAC does not match') } });
  });

  it('cannot back-date entries (same fields, earlier stream ids)', async () => {
    const rows = await entries();
    await redis.client.del(AUDIT_STREAM);
    // Everything an hour earlier than it happened: still in order, every field as it was.
    for (const [id, kv] of rows) await redis.client.xadd(AUDIT_STREAM, `${Number(id.split('-')[0]) - 3_600_000}-${id.split('-')[1]}`, ...kv);
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { seq: 1, reason: expect.stringContaining('MAC does not match') } });
  });

  it('cannot add an entry by hand: one without a MAC, or one with a copied or guessed MAC', async () => {
    await redis.client.xadd(AUDIT_STREAM, '*', 'at', String(Date.now()), 'actor', 'telegram:1', 'action', 'report.view', 'subject', 'TE-BBBBBB', 'detail', '');
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { reason: expect.stringContaining('without a MAC') } });

    await redis.client.flushall();
    await seed();
    const [, lastKv] = (await entries()).at(-1)!;
    const f = new Map(lastKv.flatMap((v, k) => (k % 2 ? [] : [[v, lastKv[k + 1]!]])));
    // The next number, chained to the real head, with a MAC under a key of the attacker's choosing.
    const wrongKey = createHmac('sha256', 'guess').digest();
    const id = `${Date.now() + 5}-0`;
    const seq = '11';
    const mac = createHmac('sha1', wrongKey).update(`${seq}:${f.get('mac')}`).digest('hex');
    await redis.client.xadd(AUDIT_STREAM, id, 'at', '1', 'actor', 'x', 'action', 'report.view', 'subject', 'TE-CCCCCC', 'detail', '', 'seq', seq, 'prev', f.get('mac')!, 'mac', mac);
    await redis.client.set(AUDIT_HEAD, `${seq} ${mac}`);
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { id, seq: 11, reason: expect.stringContaining('MAC does not match') } });
  });

  it('cannot cut the newest entries, even rolling the head back: the next entry shows the gap', async () => {
    const rows = await entries();
    await redis.client.xdel(AUDIT_STREAM, rows[9]![0], rows[8]![0]);
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { seq: 8, reason: expect.stringContaining('newest entries 9..10 are missing') } });

    // The head set back to the entry now newest: verify passes only until the service writes again.
    const f = new Map(rows[7]![1].flatMap((v, k, kv) => (k % 2 ? [] : [[v, kv[k + 1]!]])));
    await redis.client.set(AUDIT_HEAD, `8 ${f.get('mac')}`);
    // The cut entries' ids may lie ahead of the clock (written in this millisecond, or before the clock
    // stepped back): the stream still refuses ids up to its last one, so the next entry must go after it.
    const [ms] = rows[9]![0].split('-');
    await redis.client.xsetid(AUDIT_STREAM, `${Number(ms) + 60_000}-0`);
    await audit.add({ actor: 'telegram:1', action: 'report.view', subject: 'TE-AAAAAA' });
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 9 });
    // So `verify` prints the head for keeping elsewhere: an earlier head, later seen as another entry.
    const report = await audit.verify();
    expect(report.ok && report.head?.startsWith('9 ')).toBe(true);
  });

  it('cannot swap two entries', async () => {
    const rows = await entries();
    await redis.client.del(AUDIT_STREAM);
    const order = [...rows];
    [order[2], order[3]] = [order[3]!, order[2]!];
    for (const [i, [, kv]] of order.entries()) await redis.client.xadd(AUDIT_STREAM, rows[i]![0], ...kv);
    expect(await audit.verify()).toMatchObject({ ok: false, broken: { id: rows[2]![0], seq: 4 } });
  });
});

// Each case starts the CLI several times (tsx and a Redis connection each): slow on a loaded machine.
describe('npm run audit', { timeout: 120_000 }, () => {
  it('verify: exit 0 with the head when intact; exit 1 naming the first broken entry', async () => {
    const ok = await cli('src/cli/audit.ts', ['verify']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Nguyên vẹn: 10 mục\. Đầu chuỗi: 10 [0-9a-f]{40}/);
    const rows = await entries();
    await redis.client.xdel(AUDIT_STREAM, rows[2]![0]);
    const bad = await cli('src/cli/audit.ts', ['verify']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`mục ${rows[3]![0]} (số 4)`);
  });

  it('list: filters by case, person and dates, newest first', async () => {
    const byCase = await cli('src/cli/audit.ts', ['list', '--case', 'te-aaaaaa']);
    const caseLines = byCase.out.trim().split('\n');
    expect(caseLines).toHaveLength(5);
    expect(caseLines.every((l) => l.split('\t')[3] === 'TE-AAAAAA')).toBe(true);
    expect(caseLines[0]!.split('\t')[1]).toBe('telegram:9');
    const byPerson = (await cli('src/cli/audit.ts', ['list', '--person', 'telegram:4'])).out.trim().split('\n');
    expect(byPerson.map((l) => l.split('\t').slice(1, 4))).toEqual([['telegram:4', 'web.signin', 'bao-linh']]);
    const day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10); // today in Việt Nam
    const yesterday = new Date(Date.now() + 7 * 3600_000 - 86_400_000).toISOString().slice(0, 10);
    expect((await cli('src/cli/audit.ts', ['list', '--from', day, '--to', day])).out.trim().split('\n')).toHaveLength(10);
    expect((await cli('src/cli/audit.ts', ['list', '--to', yesterday])).out.trim()).toBe('(không có mục nào)');
    expect((await cli('src/cli/audit.ts', ['list', '--from', 'hôm qua'])).code).toBe(2);
  });

  it('exports and reports from the command line are audited, after the output is written', async () => {
    expect((await cli('src/cli/export.ts', ['--commune', 'bao-linh', '--from', '2025-01', '--to', '2025-06', '--format', 'csv'])).code).toBe(0);
    expect((await cli('src/cli/report.ts', ['--commune', 'bao-linh', '--period', '2025-H1'])).code).toBe(0);
    const [report, exported] = await audit.list({ subject: 'bao-linh' }, 2);
    expect(exported).toMatchObject({ actor: expect.stringMatching(/^cli:/), action: 'cli.export', detail: 'csv 2025-01..2025-06' });
    expect(report).toMatchObject({ actor: expect.stringMatching(/^cli:/), action: 'cli.report', detail: 'md 2025-H1' });
    expect((await audit.verify()).ok).toBe(true);
  });
});

describe('a view is logged once the details were shown', () => {
  it('a failed decryption is no view; a shown one is, after it was shown', async () => {
    const cases = new CaseStore(redis.client, cipher);
    const { code } = await cases.create(report);
    // Another key (a wrong DATA_KEY): the details do not open, and nothing says they were seen.
    const wrong = new CaseStore(redis.client, DataCipher.fromString(generateDataKey()));
    await expect(wrong.viewDetails(code, 'telegram:7', () => true)).rejects.toThrow();
    // A page that failed while being built showed nothing either.
    await expect(cases.viewDetails(code, 'telegram:7', () => Promise.reject(new Error('page failed')))).rejects.toThrow('page failed');
    expect((await audit.forSubject(code)).map((e) => e.action)).toEqual(['report.create']);

    let loggedBeforeShown: boolean | undefined;
    const name = await cases.viewDetails(code, 'telegram:7', async (d) => {
      loggedBeforeShown = (await audit.forSubject(code)).some((e) => e.action === 'report.view');
      return d.child.name;
    });
    expect(name).toBe('Lò Văn Tú');
    expect(loggedBeforeShown).toBe(false);
    expect((await audit.forSubject(code)).map((e) => [e.actor, e.action])).toEqual([
      ['reporter', 'report.create'],
      ['telegram:7', 'report.view'],
    ]);
    expect(JSON.stringify(await entries())).not.toContain('Lò Văn Tú');
    expect((await audit.verify()).ok).toBe(true);
  });

  it('a second connection writing at the same time extends the same chain', async () => {
    const other = new Redis(redis.url);
    try {
      const second = new AuditLog(other, cipher);
      await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? audit : second).add({ actor: `local:${i}`, action: 'report.view', subject: 'TE-AAAAAA' })));
      expect(await audit.verify()).toMatchObject({ ok: true, entries: 210 });
    } finally {
      other.disconnect();
    }
  });
});

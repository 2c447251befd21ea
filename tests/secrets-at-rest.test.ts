/**
 * A copy of Redis without DATA_KEY must not give power: no live invite code can be read from it (key
 * names included), and a hash seen there cannot be redeemed as a code. The try-out's private Redis
 * asks for a password and keeps its files from other local users.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { beforeEach, describe, expect, it } from 'vitest';
import { startRedisServer } from '../src/store/redis-server.js';
import { AuditLog } from '../src/store/audit.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { RoleStore } from '../src/store/roles.js';
import { useTestRedis } from './helpers/redis.js';
import { dumpText } from './helpers/redis-dump.js';
import { until } from './helpers/wait.js';

const redis = useTestRedis({ flushEach: true });
let roles: RoleStore;

beforeEach(async () => {
  const cipher = DataCipher.fromString(generateDataKey());
  roles = new RoleStore(redis.client, new AuditLog(redis.client, cipher), cipher);
});

describe('invite codes at rest', () => {
  it('are stored as keyed hashes: no code in any key name or value, before or after it is redeemed', async () => {
    const invite = await roles.createInvite({ communeId: 'bao-linh', role: 'officer', ttlDays: 7, createdBy: 'cli:admin' });
    let dump = await dumpText(redis.client);
    expect(dump).not.toContain(invite.code);
    expect(await redis.client.exists(`invite:${invite.code}`)).toBe(0);

    // What the attacker sees as a key name is no code: typed in, it redeems nothing.
    const names = (await redis.client.keys('invite:*')).map((k) => k.slice('invite:'.length));
    expect(names).toHaveLength(1);
    expect(await roles.redeem(names[0]!, 'telegram:666')).toBe('invalid');

    // The person given the code still redeems it, typed loosely; once only.
    const loose = `${invite.code.slice(0, 4).toLowerCase()}-${invite.code.slice(4)}`;
    expect(await roles.redeem(loose, 'telegram:101')).toMatchObject({ communeId: 'bao-linh', role: 'officer' });
    expect(await roles.redeem(invite.code, 'telegram:102')).toBe('invalid');
    dump = await dumpText(redis.client);
    expect(dump).not.toContain(invite.code); // the audit names the invite by its hash, not the code
  });

  it('a hash made under another DATA_KEY does not match: the key is what makes the name', async () => {
    const invite = await roles.createInvite({ communeId: 'bao-linh', role: 'chair', ttlDays: 1, createdBy: 'cli:admin' });
    const other = DataCipher.fromString(generateDataKey());
    const elsewhere = new RoleStore(redis.client, new AuditLog(redis.client, other), other);
    expect(await elsewhere.redeem(invite.code, 'telegram:103')).toBe('invalid');
    expect(await roles.redeem(invite.code, 'telegram:104')).toMatchObject({ role: 'chair' });
  });
});

/** Every file and folder under `dir` with its permission bits. */
function modes(dir: string): Array<[string, number]> {
  const out: Array<[string, number]> = [[dir, statSync(dir).mode & 0o777]];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...modes(p));
    else out.push([p, statSync(p).mode & 0o777]);
  }
  return out;
}

describe('the private redis-server of npm start', () => {
  it('refuses a client without its generated password, and keeps its files owner-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'treem-private-'));
    const data = join(dir, 'redis');
    mkdirSync(data, { mode: 0o755 });
    writeFileSync(join(data, 'left-by-an-older-version.aof'), 'x', { mode: 0o644 });
    const server = await startRedisServer(data, { private: true });
    try {
      const password = new URL(server.url).password;
      expect(password.length).toBeGreaterThanOrEqual(32);
      // Another local user (or a page doing DNS rebinding to a Redis port) without the password gets nothing.
      const answer = await new Promise<string>((resolve, reject) => {
        const sock = connect(server.port, '127.0.0.1', () => sock.write('GET secret\r\n'));
        sock.once('data', (d) => {
          resolve(String(d));
          sock.destroy();
        });
        sock.once('error', reject);
      });
      expect(answer).toMatch(/^-NOAUTH/);
      // The password is not on the command line, which every local user can read.
      expect(readFileSync(`/proc/${server.pid}/cmdline`, 'utf8')).not.toContain(password);

      const client = new Redis(server.url);
      await client.set('secret', 'value');
      await client.call('BGREWRITEAOF');
      // Wait for the rewrite to end: its temporary files come and go while it runs.
      await until(async () => /aof_rewrite_in_progress:0[\s\S]*aof_rewrite_scheduled:0/.test(await client.info('persistence')) && readdirSync(join(data, 'appendonlydir')).some((f) => f.endsWith('.base.rdb') || f.endsWith('.base.aof')));
      client.disconnect();
      const open = modes(data).filter(([, m]) => (m & 0o077) !== 0);
      expect(open).toEqual([]);
      expect(statSync(data).mode & 0o777).toBe(0o700);
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * A copy of Redis without DATA_KEY must not give power: no live invite code can be read from it (key
 * names included), and a hash seen there cannot be redeemed as a code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/store/audit.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { RoleStore } from '../src/store/roles.js';
import { startTestRedis, type TestRedis } from './helpers/redis.js';
import { dumpText } from './helpers/redis-dump.js';

let redis: TestRedis;
let roles: RoleStore;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
beforeEach(async () => {
  await redis.client.flushall();
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

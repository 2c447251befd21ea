/**
 * Re-sealing every sealed value under the current DATA_KEY (`npm run rotate-key`, docs/keys.md), while
 * the service runs. One SCAN over the keyspace; each key that a rule names is read, each sealed value in
 * it opened and sealed again under the same context, and written back only if it is still the value read
 * (a script compares first), so a write the service made meanwhile is never overwritten. The SCAN
 * cursor is saved after every batch: a stopped run resumes where it was. A pass in which some value
 * changed under our feet is followed by another; the ring switches to the new key after a clean pass.
 *
 * Rules name where sealed values live; each module that seals owns its rule (see `storeRules`, and the
 * outbox's and Zalo's). A stream cannot be edited in place: it is written again whole, same entry ids,
 * if it still ends where it ended when read.
 */
import type { Redis } from 'ioredis';
import { sealedAt, SealError, type DataCipher } from './crypto.js';
import { KEY_RING, ringState } from './key-ring.js';

export interface ResealRule {
  /** The keys this rule covers (the key type is checked too). */
  match: RegExp;
  type: 'string' | 'hash' | 'list' | 'stream';
  /** For a hash or a stream's entries: the fields holding sealed data. */
  fields?: string[];
  /** The stored text again with its sealed parts re-sealed; the same text when nothing was to do. */
  reseal(stored: string, key: string, field: string | undefined, cipher: DataCipher): string;
}

/** A slot holding one sealed value whose context is its key (and field). */
export function sealedValue(match: RegExp, type: ResealRule['type'], fields?: string[]): ResealRule {
  return { match, type, ...(fields ? { fields } : {}), reseal: (stored, key, field, cipher) => cipher.reseal(stored, sealedAt(key, field)) };
}

/** A slot holding JSON whose named properties are sealed, each bound to a context the JSON itself names. */
export function sealedJson(match: RegExp, type: ResealRule['type'], props: Record<string, (json: Record<string, unknown>) => string>, fields?: string[]): ResealRule {
  return {
    match,
    type,
    ...(fields ? { fields } : {}),
    reseal(stored, _key, _field, cipher) {
      const json = JSON.parse(stored) as Record<string, unknown>;
      let changed = false;
      for (const [prop, context] of Object.entries(props)) {
        const v = json[prop];
        if (typeof v !== 'string' || cipher.isCurrent(v)) continue;
        json[prop] = cipher.reseal(v, context(json));
        changed = true;
      }
      return changed ? JSON.stringify(json) : stored;
    },
  };
}

export const ROTATION = 'datakey:rotate';

export interface RekeyReport {
  resealed: number;
  /** Values that open under no key given (damaged, or sealed under a third key): left as they are. */
  unreadable: string[];
  passes: number;
}

// KEYS[1]; ARGV type, field or list index, expected, new. 1 when written, 0 when it changed meanwhile.
const SWAP = `
local t, f, old, new = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if t == 'string' then
  if redis.call('GET', KEYS[1]) ~= old then return 0 end
  redis.call('SET', KEYS[1], new, 'KEEPTTL')
elseif t == 'hash' then
  if redis.call('HGET', KEYS[1], f) ~= old then return 0 end
  redis.call('HSET', KEYS[1], f, new)
else
  if redis.call('LINDEX', KEYS[1], tonumber(f)) ~= old then return 0 end
  redis.call('LSET', KEYS[1], tonumber(f), new)
end
return 1`;

/** Runs (or resumes) the rotation to `cipher`'s key; switches the ring to it when every value was done. */
export async function rekeyAll(redis: Redis, cipher: DataCipher, rules: ResealRule[], onBatch?: (done: number) => void): Promise<RekeyReport> {
  const saved = await redis.hgetall(ROTATION);
  const resume = saved.target === cipher.keyId;
  let cursor = resume ? (saved.cursor ?? '0') : '0';
  const report: RekeyReport = { resealed: resume ? Number(saved.resealed ?? 0) : 0, unreadable: [], passes: 1 };
  let raced = resume && saved.raced === '1';
  await redis.hset(ROTATION, { target: cipher.keyId, cursor, resealed: String(report.resealed), raced: raced ? '1' : '0' });
  for (;;) {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 200);
    for (const key of keys) {
      const outcome = await rekeyKey(redis, key, cipher, rules);
      report.resealed += outcome.resealed;
      report.unreadable.push(...outcome.unreadable);
      raced ||= outcome.raced;
    }
    cursor = next;
    await redis.hset(ROTATION, { cursor, resealed: String(report.resealed), raced: raced ? '1' : '0' });
    onBatch?.(report.resealed);
    if (cursor !== '0') continue;
    if (!raced || report.passes >= 10) break;
    raced = false;
    report.passes += 1;
  }
  await finish(redis, cipher);
  return report;
}

async function rekeyKey(redis: Redis, key: string, cipher: DataCipher, rules: ResealRule[]): Promise<{ resealed: number; unreadable: string[]; raced: boolean }> {
  const out = { resealed: 0, unreadable: [] as string[], raced: false };
  const rule = rules.find((r) => r.match.test(key));
  if (!rule || (await redis.type(key)) !== rule.type) return out;
  if (rule.type === 'stream') return rekeyStream(redis, key, rule, cipher);
  const slots: Array<[string, string]> = []; // [field or index, stored]
  if (rule.type === 'string') {
    const v = await redis.get(key);
    if (v !== null) slots.push(['', v]);
  } else if (rule.type === 'hash') {
    const values = await redis.hmget(key, ...(rule.fields ?? []));
    values.forEach((v, i) => v !== null && slots.push([rule.fields?.[i] ?? '', v]));
  } else {
    (await redis.lrange(key, 0, -1)).forEach((v, i) => slots.push([String(i), v]));
  }
  for (const [slot, stored] of slots) {
    let fresh: string;
    try {
      fresh = rule.reseal(stored, key, rule.type === 'hash' ? slot : undefined, cipher);
    } catch (err) {
      if (!(err instanceof SealError)) throw err;
      out.unreadable.push(rule.type === 'string' ? key : `${key} ${slot}`);
      continue;
    }
    if (fresh === stored) continue;
    if (Number(await redis.eval(SWAP, 1, key, rule.type, slot, stored, fresh)) === 1) out.resealed += 1;
    else out.raced = true;
  }
  return out;
}

/** Every value is under the new key now: the ring says so, and forgets the old key's check value. */
async function finish(redis: Redis, cipher: DataCipher): Promise<void> {
  const ring = await ringState(redis);
  const tx = redis.multi().hset(KEY_RING, 'kid', cipher.keyId).hdel(KEY_RING, 'rotating').del(ROTATION);
  if (ring && ring.kid !== cipher.keyId) tx.hdel(KEY_RING, `index:${ring.kid}`);
  await tx.exec();
}

// KEYS[1]; ARGV expected length, expected last id, then per entry: id, field count n, n field/value pairs.
const SWAP_STREAM = `
if redis.call('XLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 end
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if not last or last[1] ~= ARGV[2] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
local i = 3
while i <= #ARGV do
  local id, n = ARGV[i], tonumber(ARGV[i + 1])
  redis.call('XADD', KEYS[1], id, unpack(ARGV, i + 2, i + 1 + 2 * n))
  i = i + 2 + 2 * n
end
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

/** A stream (the local chat's transcript) re-sealed entry by entry and written back whole. */
async function rekeyStream(redis: Redis, key: string, rule: ResealRule, cipher: DataCipher): Promise<{ resealed: number; unreadable: string[]; raced: boolean }> {
  const out = { resealed: 0, unreadable: [] as string[], raced: false };
  const entries = await redis.xrange(key, '-', '+');
  const args: string[] = [];
  for (const [id, kv] of entries) {
    const fresh = [...kv];
    for (let i = 0; i < fresh.length; i += 2) {
      if (!rule.fields?.includes(fresh[i] ?? '')) continue;
      const before = fresh[i + 1] ?? '';
      try {
        fresh[i + 1] = rule.reseal(before, key, undefined, cipher);
      } catch (err) {
        if (!(err instanceof SealError)) throw err;
        out.unreadable.push(`${key} ${id}`);
      }
      if (fresh[i + 1] !== before) out.resealed += 1;
    }
    args.push(id, String(fresh.length / 2), ...fresh);
  }
  if (out.resealed === 0) return out;
  const lastId = entries.at(-1)?.[0] ?? '';
  if (Number(await redis.eval(SWAP_STREAM, 1, key, String(entries.length), lastId, ...args)) === 1) return out;
  return { resealed: 0, unreadable: out.unreadable, raced: true };
}

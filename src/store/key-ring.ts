/**
 * Which DATA_KEY this Redis's data is sealed under, checked before anything is read or written
 * (docs/keys.md). The hash `datakey:ring` holds:
 *   kid            the id of the key every value is sealed under (or being rotated away from);
 *   index:<kid>    the index (HMAC) key, sealed under that key: the key-check value, since only the right
 *                  key opens it, and the reason index key names survive a rotation;
 *   rotating       the id of the new key while `npm run rotate-key` has not finished.
 * A process whose DATA_KEY (or DATA_KEY_PREVIOUS) is not `kid` is refused with KeyMismatchError.
 * A Redis from before key ids gets its ring on first start, after a sample of its sealed values was
 * opened, so a wrong key cannot seal itself in as the right one.
 */
import type { Redis } from 'ioredis';
import { DataCipher, keyIdOf, legacyIndexKey, parseDataKey, sealedAt } from './crypto.js';

export const KEY_RING = 'datakey:ring';
const INDEX_CONTEXT = sealedAt(KEY_RING, 'index');

/** The configured key cannot open this Redis's data: the process must not start. */
export class KeyMismatchError extends Error {
  override name = 'KeyMismatchError';
}

export interface DataKeys {
  current: string;
  previous?: string;
}

export interface RingState {
  /** The key the data is sealed under. */
  kid: string;
  /** The new key, while a rotation is unfinished. */
  rotating?: string;
}

export async function ringState(redis: Redis): Promise<RingState | undefined> {
  const [kid, rotating] = await redis.hmget(KEY_RING, 'kid', 'rotating');
  return kid ? { kid, ...(rotating ? { rotating } : {}) } : undefined;
}

/** The cipher for this Redis, after checking the keys against its ring (created on first use). */
export async function openKeyRing(redis: Redis, keys: DataKeys): Promise<DataCipher> {
  const current = parseDataKey(keys.current);
  const previous = keys.previous ? parseDataKey(keys.previous) : undefined;
  const ids = { current: keyIdOf(current), previous: previous && keyIdOf(previous) };
  let ring = await ringState(redis);
  if (!ring) {
    await createRing(redis, current, previous);
    ring = (await ringState(redis)) as RingState;
  }
  const settledOn = ring.kid === ids.current ? current : ring.kid === ids.previous ? previous : undefined;
  if (!settledOn) throw new KeyMismatchError(mismatchText(ring, ids));
  const opener = new DataCipher({ current: settledOn });
  const sealedIndex = await redis.hget(KEY_RING, `index:${ring.kid}`);
  let indexKey: Buffer;
  try {
    indexKey = Buffer.from(opener.open<string>(sealedIndex ?? '', INDEX_CONTEXT), 'base64');
  } catch {
    throw new KeyMismatchError(`Refusing to start: the key check in Redis (${KEY_RING}) does not open under the key ${ring.kid}. The ring is damaged; restore it from a backup.`);
  }
  const cipher = new DataCipher({ current, ...(previous ? { previous } : {}), indexKey });
  if (settledOn !== current) {
    // A rotation has begun: this process seals under the new key; rotate-key re-seals the rest.
    await redis.hsetnx(KEY_RING, `index:${ids.current}`, cipher.seal(indexKey.toString('base64'), INDEX_CONTEXT));
    await redis.hsetnx(KEY_RING, 'rotating', ids.current);
  }
  return cipher;
}

function mismatchText(ring: RingState, ids: { current: string; previous?: string }): string {
  const given = ids.previous ? `DATA_KEY (${ids.current}) nor DATA_KEY_PREVIOUS (${ids.previous})` : `DATA_KEY (${ids.current})`;
  const hint =
    ring.rotating === ids.current && !ids.previous
      ? ` A rotation to this key is unfinished: set DATA_KEY_PREVIOUS to the old key until \`npm run rotate-key\` has finished.`
      : ' Check DATA_KEY (a typo, another deployment\'s key, or a regenerated key file): with the wrong key nothing stored can be read.';
  return `Refusing to start: the data in this Redis is sealed under key ${ring.kid}, and neither ${given} is that key.${hint}`;
}

/** First start on this Redis: checks a sample of old sealed values opens, then records the key. */
async function createRing(redis: Redis, current: Buffer, previous: Buffer | undefined): Promise<void> {
  const cipher = new DataCipher({ current, ...(previous ? { previous } : {}) });
  const sample = await sampleSealed(redis);
  if (sample) {
    try {
      cipher.openText(sample.value, sample.context);
    } catch {
      throw new KeyMismatchError(`Refusing to start: ${sample.key} in this Redis does not open under DATA_KEY (${cipher.keyId}). Check DATA_KEY: with the wrong key nothing stored can be read.`);
    }
  }
  // Index key names written so far used the HMAC key derived from DATA_KEY: it becomes the ring's.
  const indexKey = legacyIndexKey(current).toString('base64');
  const id = keyIdOf(current);
  await redis.multi().hsetnx(KEY_RING, `index:${id}`, cipher.seal(indexKey, INDEX_CONTEXT)).hsetnx(KEY_RING, 'kid', id).exec();
}

/** One report's sealed details, if there is any report: the oldest data a wrong key would fail on. */
async function sampleSealed(redis: Redis): Promise<{ key: string; value: string; context: string } | undefined> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', 'report:*', 'COUNT', 500);
    for (const key of keys) {
      if ((await redis.type(key)) !== 'hash') continue;
      const value = await redis.hget(key, 'sealed');
      if (value) return { key, value, context: sealedAt(key, 'sealed') };
    }
    cursor = next;
  } while (cursor !== '0');
  return undefined;
}

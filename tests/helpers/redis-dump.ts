/**
 * Everything readable in a Redis database, as one text per key (the key's name, then its fields and
 * values). Privacy tests search this for what must never appear in clear, without knowing how any
 * store names its keys: a renamed key cannot hide a leak from them.
 */
import type { Redis } from 'ioredis';

export interface DumpedKey {
  key: string;
  text: string;
}

async function valuesOf(redis: Redis, key: string): Promise<string[]> {
  switch (await redis.type(key)) {
    case 'string':
      return [(await redis.get(key)) ?? ''];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1, 'WITHSCORES');
    case 'stream':
      return (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    default:
      return [];
  }
}

/** One entry per key of the selected database (SCAN, so a large test database is read in pages). */
export async function dumpRedis(redis: Redis): Promise<DumpedKey[]> {
  const out: DumpedKey[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) out.push({ key, text: [key, ...(await valuesOf(redis, key))].join('\n') });
  } while (cursor !== '0');
  return out;
}

/** The keys whose name or content holds every one of `needles`. */
export async function keysHoldingAll(redis: Redis, ...needles: string[]): Promise<string[]> {
  return (await dumpRedis(redis)).filter((d) => needles.every((n) => d.text.includes(n))).map((d) => d.key);
}

/** All of it as one text, for "this must appear nowhere in Redis" checks. */
export async function dumpText(redis: Redis): Promise<string> {
  return (await dumpRedis(redis)).map((d) => d.text).join('\n');
}

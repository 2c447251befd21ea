/**
 * The one place that opens Redis connections, for one Redis, a Sentinel set or a Cluster
 * (docs/redis.md). Each use gets its own connection, so BullMQ's scripts and blocking commands never
 * sit in front of a webhook's reads and writes:
 * - `data`: the stores and the request path (sessions, claims, cases...); the commands of one event loop iteration leave in one write;
 * - `queues`: BullMQ producers and the outbox's bookkeeping;
 * - `worker`: one per BullMQ Worker (it blocks on it).
 * In Cluster mode every transaction must keep its keys in one slot. The stores' MULTIs and scripts
 * span a case, its indexes, timeline and audit entry, so the `data` connection prefixes every key with
 * one hash tag (ioredis keyPrefix: key names in the code stay as on a single Redis), and BullMQ's keys
 * get their own tag as prefix. Outside Cluster nothing is prefixed: existing data keeps its names.
 */
import type { Socket } from 'node:net';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisTarget } from '../config/env.js';
import type { Logger } from '../logger.js';

export type RedisRole = 'data' | 'queues' | 'worker';

/** Prefix of every data key in Cluster mode: one slot for all of the stores' transactions. */
export const CLUSTER_DATA_PREFIX = '{treem:data}:';
/** BullMQ's key prefix in Cluster mode (its default, `bull`, elsewhere). */
export const CLUSTER_QUEUE_PREFIX = '{treem}';

/** BullMQ's connection for producing jobs, and the key prefix its queues use on this target. */
export interface QueueConnection {
  redis: Redis;
  prefix: string;
}

/** BullMQ's `prefix` option for queues and workers on this target. */
export function queuePrefix(target: RedisTarget): string {
  return target.mode === 'cluster' ? CLUSTER_QUEUE_PREFIX : 'bull';
}

/** host:port list or URL without credentials, for logs. */
export function describeTarget(target: RedisTarget): string {
  if (target.mode === 'single') return target.url.replace(/\/\/[^@/]*@/, '//');
  const list = target.mode === 'sentinel' ? target.sentinels : target.nodes;
  return `${target.mode} ${list.map((n) => `${n.host}:${n.port}`).join(',')}${target.mode === 'sentinel' ? ` (${target.masterName})` : ''}`;
}

/**
 * Replicas a confirmed write waits for before the person is told it is saved (WAIT): with Sentinel a
 * failover promotes a replica, and a write only the dead master had would be lost.
 */
export function replicasToWaitFor(target: RedisTarget): number {
  return target.mode === 'sentinel' ? 1 : 0;
}

/**
 * Opens a connection for `role`. Typed as Redis: a Cluster client answers the same commands (only
 * connection management differs), and BullMQ and the stores accept either.
 */
export function openRedis(target: RedisTarget, role: RedisRole, log: Logger): Redis {
  // BullMQ needs maxRetriesPerRequest: null; the stores too should wait for Redis rather than fail fast.
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    connectionName: `treem:${role}`,
  };
  let redis: Redis;
  if (target.mode !== 'cluster') {
    redis =
      target.mode === 'single'
        ? new Redis(target.url, options)
        : new Redis({ ...options, sentinels: target.sentinels, name: target.masterName, password: target.password, sentinelPassword: target.password });
    if (role === 'data') oneWritePerLoop(redis);
  } else {
    // A Cluster client writes to a connection per node, opened as slots move: it keeps ioredis's auto-pipelining.
    const cluster = new Cluster(target.nodes, {
      redisOptions: { ...options, password: target.password },
      enableAutoPipelining: role === 'data',
      ...(role === 'data' ? { keyPrefix: CLUSTER_DATA_PREFIX } : {}),
    });
    redis = cluster as unknown as Redis;
  }
  // ioredis reconnects by itself; without a listener each failed attempt is an "unhandled error" print.
  redis.on('error', (err: Error) => log.error({ role, err: err.message }, 'redis connection error'));
  return redis;
}

/** How long a command sent with `sendLazily` may wait for other commands to share its write. */
const LAZY_MS = 2;

/** Per corked connection: issues commands whose write may wait a little (see `sendLazily`). */
const lazySenders = new WeakMap<Redis, <T>(issue: () => Promise<T>) => Promise<T>>();

/**
 * Issues the command(s) `issue` sends now, but lets their write wait up to LAZY_MS for the next
 * commands of this connection, so they share one write (and Redis's answers one read). For a command
 * nobody waits on (the last reply confirmation of a turn): at a few hundred updates/s a write of its
 * own was one of three per turn to Redis (issue 15). Commands still leave in the order they were sent.
 * On a connection that does not cork (Cluster) the command is sent as usual.
 */
export function sendLazily<T>(redis: Redis, issue: () => Promise<T>): Promise<T> {
  const lazy = lazySenders.get(redis);
  return lazy ? lazy(issue) : issue();
}

/**
 * Corks the connection's socket at the first command and uncorks it in the event loop's check phase
 * (setImmediate), so every command issued by the callbacks of one loop iteration (all the webhook
 * requests, Redis answers and Bot API answers read in it) leaves in one write: uncorking after each
 * callback (nextTick) made 1.3 writes to Redis per update at saturation, uncorking at the end of the
 * iteration 0.3–0.4 (strace -c under compare's closed loop), and Redis spent a third less CPU per update
 * reading them (issue 15, docs/turns.md). This is what ioredis's auto-pipelining is for, without its
 * cost: it builds a Pipeline object (copying every defined script onto it) per batch, ~80 µs against
 * ~35 µs per command at a few hundred updates/s. A lazy command keeps one more cork until the next
 * flush or LAZY_MS.
 */
function oneWritePerLoop(redis: Redis): void {
  const send = redis.sendCommand.bind(redis);
  let corked: Socket | undefined;
  let lazyNext = false;
  let held: { socket: Socket; timer: NodeJS.Timeout } | undefined;
  const release = (): void => {
    if (!held) return;
    clearTimeout(held.timer);
    const { socket } = held;
    held = undefined;
    socket.uncork();
  };
  redis.sendCommand = (command, stream) => {
    const socket = redis.stream as Socket | undefined;
    if (lazyNext) {
      lazyNext = false;
      if (!held && !corked && socket?.writable) {
        socket.cork();
        held = { socket, timer: setTimeout(release, LAZY_MS) };
      }
    } else if (!corked && socket?.writable) {
      corked = socket;
      socket.cork();
      setImmediate(() => {
        corked = undefined;
        socket.uncork();
        release();
      });
    }
    return send(command, stream);
  };
  lazySenders.set(redis, <T>(issue: () => Promise<T>): Promise<T> => {
    lazyNext = true;
    try {
      return issue();
    } finally {
      lazyNext = false;
    }
  });
}

/**
 * The only reader of process.env. Validates every setting with zod and fails fast with a message that
 * names the variable and what is wrong with it.
 */
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The example communes file, found from this module's place (src/config or dist/config, two levels under
 * the package), so `node /path/to/dist/main.js` works from any working directory.
 */
const EXAMPLE_CONFIG = fileURLToPath(new URL('../../config/communes.example.yaml', import.meta.url));

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const hostPortList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port, comma-separated'))
      .min(1)
      .transform((list) => list.map((hp) => ({ host: hp.slice(0, hp.lastIndexOf(':')), port: Number(hp.slice(hp.lastIndexOf(':') + 1)) }))),
  );
/** A DATA_KEY: 32 bytes, as 64 hex characters or base64. */
const dataKeyText = optionalString.pipe(
  z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex characters or base64')
    .optional(),
);

/**
 * A webhook secret: what stands between the internet and a forged update. 32-256 characters of
 * Telegram's secret_token alphabet (Zalo Bot's accepts it too), not a repeated pattern.
 */
const webhookSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{32,256}$/, 'must be 32-256 characters of A-Z a-z 0-9 _ - (generate one with `openssl rand -hex 32`)')
  .refine((s) => new Set(s).size >= 10, 'is not random (too few different characters): generate one with `openssl rand -hex 32`');

/** How many different byte values a DATA_KEY text holds (hex or base64). */
function distinctBytes(key: string): number {
  const bytes = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  return new Set(bytes).size;
}

/**
 * Where a test build may kill the process inside a turn (src/bot/inbound.ts, docs/turns.md), named by
 * TEST_CRASH_AT as `point` or `point#n` (the n-th time the point is reached), honoured only with NODE_ENV=test.
 */
export const CRASH_POINTS = ['before-begin', 'after-begin', 'after-handler', 'after-commit', 'after-send', 'after-confirm'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

const EnvSchema = z
  .object({
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    /** Redis Sentinel: the sentinels (host:port, comma-separated) and the name of the master they watch. */
    REDIS_SENTINELS: optionalString.pipe(hostPortList.optional()),
    REDIS_SENTINEL_MASTER: optionalString,
    /** Redis Cluster: some of its nodes (host:port, comma-separated); the rest are discovered. */
    REDIS_CLUSTER_NODES: optionalString.pipe(hostPortList.optional()),
    /** Password of the Redis servers in Sentinel or Cluster mode (with REDIS_URL it goes in the URL). */
    REDIS_PASSWORD: optionalString,
    TELEGRAM_BOT_TOKEN: optionalString.pipe(
      z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-xyz (from @BotFather)').optional(),
    ),
    TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
    TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(webhookSecret.optional()),
    TELEGRAM_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org').transform((v) => v.replace(/\/+$/, '')),
    ZALO_APP_ID: optionalString,
    ZALO_APP_SECRET: optionalString,
    ZALO_OA_SECRET_KEY: optionalString,
    ZALO_OA_SECRET_KEY_PREVIOUS: optionalString,
    ZALO_REDIRECT_URI: optionalString.pipe(z.url().optional()),
    /** Signed Zalo events older than this are dropped as replays (docs/zalo.md); under the 48 h seen window (docs/turns.md). */
    ZALO_EVENT_MAX_AGE_HOURS: z.coerce.number().min(1).max(47).default(24),
    ZALO_API_ROOT: z.url().default('https://openapi.zalo.me').transform((v) => v.replace(/\/+$/, '')),
    ZALO_OAUTH_ROOT: z.url().default('https://oauth.zaloapp.com').transform((v) => v.replace(/\/+$/, '')),
    ZALO_BOT_TOKEN: optionalString.pipe(z.string().regex(/^\d+:\S+$/, 'must look like <numeric id>:<secret> (from Zalo Bot Manager)').optional()),
    ZALO_BOT_WEBHOOK_SECRET: optionalString.pipe(webhookSecret.optional()),
    ZALO_BOT_WEBHOOK_URL: optionalString.pipe(z.url({ protocol: /^https$/ }).optional()),
    ZALO_BOT_API_ROOT: z.url().default('https://bot-api.zaloplatforms.com').transform((v) => v.replace(/\/+$/, '')),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    CONFIG_FILE: z.string().default(EXAMPLE_CONFIG),
    DATA_DIR: z.string().default('data'),
    DATA_KEY: dataKeyText,
    /** The key being rotated away from: opens values sealed under it until `npm run rotate-key` has re-sealed them. */
    DATA_KEY_PREVIOUS: dataKeyText,
    WORKERS: z.enum(['in-process', 'off']).default('in-process'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where people reach this server (https://… behind TLS); the web console is off without it. */
    PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()).transform((v) => v?.replace(/\/+$/, '')),
    WEB_LINK_MINUTES: z.coerce.number().min(1).max(30).default(5),
    WEB_IDLE_MINUTES: z.coerce.number().min(5).max(24 * 60).default(30),
    WEB_SESSION_HOURS: z.coerce.number().min(1).max(24 * 7).default(10),
    /** /metrics answers on the main port only with `Authorization: Bearer <token>`. */
    METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    /** A separate listener for /metrics only (e.g. 9464 on 127.0.0.1, reachable by Prometheus alone). */
    METRICS_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(0).max(65535).optional()),
    METRICS_HOST: z.string().default('127.0.0.1'),
    /** Names this process in lock owners; stable across restarts, so a restarted process's old locks are freed at once. */
    INSTANCE_ID: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'letters, digits and _ . : - only').optional()),
    /** How long a stop signal waits for running work before the process exits anyway (src/app/shutdown.ts). */
    SHUTDOWN_SECONDS: z.coerce.number().min(1).max(300).default(10),
    NODE_ENV: optionalString,
    TEST_CRASH_AT: optionalString.pipe(
      z
        .string()
        .regex(new RegExp(`^(${CRASH_POINTS.join('|')})(#[1-9]\\d*)?$`), `one of ${CRASH_POINTS.join(', ')}, optionally #n`)
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (tryOutMode(env) && !LOOPBACK_HOSTS.includes(env.HOST)) {
      ctx.addIssue({ code: 'custom', path: ['HOST'], message: 'must be 127.0.0.1, ::1 or localhost in the try-out mode (no platform token, no Redis): its local chat has no sign-in' });
    }
    const modes = [env.REDIS_URL && 'REDIS_URL', env.REDIS_SENTINELS && 'REDIS_SENTINELS', env.REDIS_CLUSTER_NODES && 'REDIS_CLUSTER_NODES'].filter(Boolean);
    if (modes.length > 1) {
      ctx.addIssue({ code: 'custom', path: [modes[1] as string], message: `cannot be set together with ${modes[0]}: choose one Redis` });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_MASTER) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_MASTER'], message: 'is required with REDIS_SENTINELS (the master name in sentinel.conf)' });
    }
    if (env.DATA_KEY && distinctBytes(env.DATA_KEY) < 12) {
      // 32 random bytes have about 30 distinct values; fewer than 12 is a made-up key (zeros, a pattern).
      ctx.addIssue({ code: 'custom', path: ['DATA_KEY'], message: 'is not random (too few distinct bytes): generate one with `openssl rand -hex 32`' });
    }
    if (env.DATA_KEY_PREVIOUS && !env.DATA_KEY) {
      ctx.addIssue({ code: 'custom', path: ['DATA_KEY_PREVIOUS'], message: 'is only used beside DATA_KEY (the new key) during a rotation' });
    }
    if (env.DATA_KEY_PREVIOUS && env.DATA_KEY_PREVIOUS === env.DATA_KEY) {
      ctx.addIssue({ code: 'custom', path: ['DATA_KEY_PREVIOUS'], message: 'is the same as DATA_KEY: set the old key here and the new one in DATA_KEY' });
    }
    if (env.TEST_CRASH_AT && env.NODE_ENV !== 'test') {
      ctx.addIssue({ code: 'custom', path: ['TEST_CRASH_AT'], message: 'kills the process on purpose: only test builds (NODE_ENV=test) honour it' });
    }
    if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_MODE=webhook, so forged updates can be refused',
      });
    }
    if (env.ZALO_BOT_WEBHOOK_URL && !env.ZALO_BOT_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['ZALO_BOT_WEBHOOK_SECRET'], message: 'is required with ZALO_BOT_WEBHOOK_URL, so forged updates can be refused' });
    }
    if (env.ZALO_APP_ID && !env.ZALO_OA_SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ZALO_OA_SECRET_KEY'],
        message: 'is required when ZALO_APP_ID is set: Zalo signs webhooks with the OA Secret Key (not the App Secret)',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** Host names that reach this machine only. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

type TryOutInputs = Pick<Env, 'TELEGRAM_BOT_TOKEN' | 'ZALO_APP_ID' | 'ZALO_BOT_TOKEN' | 'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_CLUSTER_NODES'>;

/**
 * The try-out mode (`npm start` with nothing set): no platform token and no Redis named. Only then does
 * the service serve the local chat and seed the demo roles, on the private redis-server it starts.
 */
export function tryOutMode(env: Partial<TryOutInputs>): boolean {
  return !env.TELEGRAM_BOT_TOKEN && !env.ZALO_APP_ID && !env.ZALO_BOT_TOKEN && !env.REDIS_URL && !env.REDIS_SENTINELS?.length && !env.REDIS_CLUSTER_NODES?.length;
}

/**
 * In the try-out mode the web console is on at the local address (unless PUBLIC_URL names another), so
 * `npm start` alone lets an officer's part be tried in a browser too. A random port (0) is not known yet.
 */
export function withTryOutConsole(env: Env): Env {
  if (!tryOutMode(env) || env.PUBLIC_URL || env.PORT === 0) return env;
  const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
  return { ...env, PUBLIC_URL: `http://${host}:${env.PORT}` };
}

export interface HostPort {
  host: string;
  port: number;
}

/** Which Redis the service works on, and how it is reached. */
export type RedisTarget =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: HostPort[]; masterName: string; password?: string }
  | { mode: 'cluster'; nodes: HostPort[]; password?: string };

/** The Redis the environment names; undefined when none is (local mode starts its own). */
export function redisTarget(env: Env): RedisTarget | undefined {
  if (env.REDIS_SENTINELS) return { mode: 'sentinel', sentinels: env.REDIS_SENTINELS, masterName: env.REDIS_SENTINEL_MASTER ?? '', ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}) };
  if (env.REDIS_CLUSTER_NODES) return { mode: 'cluster', nodes: env.REDIS_CLUSTER_NODES, ...(env.REDIS_PASSWORD ? { password: env.REDIS_PASSWORD } : {}) };
  return env.REDIS_URL ? { mode: 'single', url: env.REDIS_URL } : undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Formats zod issues as one line each: `NAME: what is wrong`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((i) => `  ${prefix}${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('\n');
}

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment:\n${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}

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

const EnvSchema = z
  .object({
    REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
    TELEGRAM_BOT_TOKEN: optionalString.pipe(
      z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-xyz (from @BotFather)').optional(),
    ),
    TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
    TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
      z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ -').optional(),
    ),
    TELEGRAM_WEBHOOK_URL: optionalString.pipe(z.url().optional()),
    TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org').transform((v) => v.replace(/\/+$/, '')),
    ZALO_APP_ID: optionalString,
    ZALO_APP_SECRET: optionalString,
    ZALO_OA_SECRET_KEY: optionalString,
    ZALO_REDIRECT_URI: optionalString.pipe(z.url().optional()),
    ZALO_API_ROOT: z.url().default('https://openapi.zalo.me').transform((v) => v.replace(/\/+$/, '')),
    ZALO_OAUTH_ROOT: z.url().default('https://oauth.zaloapp.com').transform((v) => v.replace(/\/+$/, '')),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    CONFIG_FILE: z.string().default(EXAMPLE_CONFIG),
    DATA_DIR: z.string().default('data'),
    DATA_KEY: optionalString.pipe(
      z
        .string()
        .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex characters or base64')
        .optional(),
    ),
    WORKERS: z.enum(['in-process', 'off']).default('in-process'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === 'webhook' && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_MODE=webhook, so forged updates can be refused',
      });
    }
    if (env.ZALO_APP_ID && !env.ZALO_OA_SECRET_KEY && !env.ZALO_APP_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['ZALO_OA_SECRET_KEY'],
        message: 'or ZALO_APP_SECRET is required when ZALO_APP_ID is set (webhook signatures)',
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

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

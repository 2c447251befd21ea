/**
 * `POST /telegram/webhook`. Telegram retries anything but a 2xx for hours, so each answer says what we
 * mean (docs/turns.md):
 * - 401 and nothing else: the secret token header is missing or wrong (a forged request);
 * - 400 and one warn line: the body is not JSON at all (Telegram never sends that; like the Zalo route);
 * - 200 and one warn line: the right secret, JSON, but not an update we can read (wrong types, null);
 * - 200: handled, a duplicate, or a kind of update we do not handle;
 * - 503 with Retry-After and one warn line, no stack: the same person's previous message holds us
 *   up, or our lock was taken over; Telegram's retry is handled once;
 * - 500 and an error line with the stack: a genuine failure of ours (the turn left nothing behind).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.js';
import { RetryLaterError } from '../inbound.js';
import type { TelegramUpdateHandler } from './bot.js';
import { parseTelegramUpdate } from './normalize.js';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

function sameSecret(given: string | string[] | undefined, secret: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  return a.length === secret.length && timingSafeEqual(a, secret);
}

export function registerTelegramWebhook(app: FastifyInstance, opts: { handle: TelegramUpdateHandler; secret: string; log: Logger }): void {
  const { handle, log } = opts;
  const secret = Buffer.from(opts.secret);
  void app.register(async (scope) => {
    // The body is read here, whatever its type, so a bad one gets our answer and not fastify's.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    scope.post(TELEGRAM_WEBHOOK_PATH, async (req, reply) => {
      if (!sameSecret(req.headers[SECRET_HEADER], secret)) {
        log.warn({ ip: req.ip }, 'telegram webhook: missing or wrong secret token, refused');
        return reply.code(401).send();
      }
      let json: unknown;
      try {
        json = JSON.parse(typeof req.body === 'string' ? req.body : '');
      } catch {
        // The secret is right, so this came from Telegram: an error answer would be retried for hours.
        log.warn('telegram webhook: body is not JSON, dropped');
        return reply.code(200).send();
      }
      const parsed = parseTelegramUpdate(json);
      if (!parsed.success) {
        log.warn({ issues: parsed.issues }, 'telegram webhook: not an update we can read, dropped');
        return reply.code(200).send();
      }
      const updateId = parsed.update.update_id;
      try {
        await handle(parsed.update);
      } catch (err) {
        if (err instanceof RetryLaterError) {
          log.warn({ updateId, reason: err.message }, 'telegram update put off: Telegram will retry it');
          return reply.code(503).header('retry-after', '1').send();
        }
        log.error({ err, updateId }, 'telegram update failed');
        return reply.code(500).send();
      }
      return reply.code(200).send();
    });
  });
}

/**
 * `POST /zalobot/webhook`: updates from the Zalo Bot Platform. Zalo sends back the secret given to
 * setWebhook in the X-Bot-Api-Secret-Token header; a request without it, or with another value, gets
 * 401 before its body is even read, and nothing is processed. With the right secret, a body that is
 * not JSON or an update of an unexpected shape gets 200 with one log line (the paths only), so one odd
 * update never makes Zalo keep resending it. `onUpdate` failing answers 500: the update was not taken.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.js';
import { parseZaloBotUpdate, type ZaloBotUpdate } from './update.js';

export const ZALO_BOT_WEBHOOK_PATH = '/zalobot/webhook';
export const ZALO_BOT_SECRET_HEADER = 'x-bot-api-secret-token';

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function zaloBotSecretMatches(given: string | string[] | undefined, expected: string): boolean {
  const value = Array.isArray(given) ? given[0] : given;
  if (!value || !expected) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(value), digest(expected));
}

export interface ZaloBotWebhookOptions {
  secretToken: string;
  /** Takes the update (queues or handles it); throwing makes the answer a 500. */
  onUpdate: (update: ZaloBotUpdate) => Promise<void>;
  log: Logger;
}

export function registerZaloBotWebhook(app: FastifyInstance, opts: ZaloBotWebhookOptions): void {
  const log = opts.log.child({ module: 'zalo-bot-webhook' });
  void app.register(async (scope) => {
    // The body is parsed here, so a bad one gets our answer and not fastify's 400.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    registerRoute(scope, opts, log);
  });
}

function registerRoute(app: FastifyInstance, opts: ZaloBotWebhookOptions, log: Logger): void {
  app.post(ZALO_BOT_WEBHOOK_PATH, {
    // Before the body is parsed, so a forged request gets 401 and nothing else, whatever it carries.
    onRequest: async (req, reply) => {
      if (zaloBotSecretMatches(req.headers[ZALO_BOT_SECRET_HEADER], opts.secretToken)) return;
      log.warn({ ip: req.ip }, 'zalo bot webhook: missing or wrong secret token, refused');
      await reply.code(401).send({ error: 'unauthorized' });
    },
    handler: async (req, reply) => {
      let json: unknown;
      try {
        json = JSON.parse(typeof req.body === 'string' ? req.body : '');
      } catch {
        log.warn('zalo bot webhook: body is not JSON, dropped');
        return reply.code(200).send({ ok: true });
      }
      const update = parseZaloBotUpdate(json);
      if (!update.success) {
        log.warn({ issues: update.error.issues.map((i) => i.path.join('.')) }, 'zalo bot webhook: update of an unexpected shape, dropped');
        return reply.code(200).send({ ok: true });
      }
      await opts.onUpdate(update.data);
      return reply.code(200).send({ ok: true });
    },
  });
}

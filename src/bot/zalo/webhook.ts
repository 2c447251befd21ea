/**
 * `POST /zalo/webhook`: Zalo wants HTTP 200 within 2 seconds, so this route only checks and enqueues;
 * src/jobs/zalo-inbound.ts does the work.
 *
 * The signature is a hash over the raw request bytes, so the route gets the body as a Buffer (its own
 * JSON parser, scoped to this plugin) and parses it itself. Answers: 401 for a missing or wrong
 * signature, 400 for a body that is not JSON or not a Zalo event, 200 once the event is queued.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.js';
import type { ZaloInboundQueue } from '../../jobs/zalo-inbound.js';
import { ZALO_SIGNATURE_HEADER, verifyZaloSignature, type ZaloSignatureConfig, type ZaloSignatureSecret } from './signature.js';
import { parseZaloWebhook } from './webhook-event.js';

export const ZALO_WEBHOOK_PATH = '/zalo/webhook';

export interface ZaloWebhookOptions {
  signature: ZaloSignatureConfig;
  inbound: Pick<ZaloInboundQueue, 'add'>;
  log: Logger;
}

export function registerZaloWebhook(app: FastifyInstance, opts: ZaloWebhookOptions): void {
  // Which secret Zalo signs with is unconfirmed: log the first match per secret, not every request.
  const seen = new Set<ZaloSignatureSecret>();

  void app.register(async (scope) => {
    // Scoped to this plugin: the other routes keep fastify's own JSON parser.
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post(ZALO_WEBHOOK_PATH, async (req, reply) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.code(400).send({ error: 'body is not JSON' });
      }
      const matched = verifyZaloSignature(raw, req.headers[ZALO_SIGNATURE_HEADER], opts.signature);
      if (!matched) {
        opts.log.warn({ ip: req.ip }, 'zalo webhook: missing or wrong signature, refused');
        return reply.code(401).send({ error: 'bad signature' });
      }
      if (!seen.has(matched)) {
        seen.add(matched);
        opts.log.info({ secret: matched }, 'zalo webhook signature matched');
      }
      const event = parseZaloWebhook(json);
      if (!event.success) {
        opts.log.warn({ issues: event.error.issues.map((i) => i.path.join('.')) }, 'zalo webhook: not a Zalo event, refused');
        return reply.code(400).send({ error: 'not a Zalo event' });
      }
      await opts.inbound.add(event.data);
      return reply.code(200).send({ ok: true });
    });
  });
}

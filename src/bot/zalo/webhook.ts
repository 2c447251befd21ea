/**
 * `POST /zalo/webhook`: Zalo wants HTTP 200 within 2 seconds, so this route only checks and enqueues;
 * inbound-job.ts does the work.
 *
 * The signature is a hash over the raw request bytes, so the route gets the body as a Buffer (its own
 * JSON parser, scoped to this plugin) and parses it itself. Answers: 400 for a body that is not JSON,
 * 401 for a missing or wrong signature, and 200 for everything Zalo signed: queued, or dropped with a
 * log line when its shape is unexpected or it is older than Zalo's retries last (a replay). Zalo retries anything but a 200 and
 * disables a webhook that keeps failing, which would stop all Zalo intake over one odd event.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../logger.js';
import type { ZaloInboundQueue } from './inbound-queue.js';
import { ZALO_SIGNATURE_HEADER, verifyZaloSignature, type ZaloSignatureConfig, type ZaloSignatureSecret } from './signature.js';
import { parseZaloWebhook } from './webhook-event.js';

export const ZALO_WEBHOOK_PATH = '/zalo/webhook';

/**
 * Default age past which a signed event is dropped as a replay: Zalo retries a delivery for up to about
 * 12 hours (docs/zalo.md), so twice that. It must stay under the 2 days the person's seen window
 * (docs/turns.md) remembers a msg_id, so a replay inside the limit is still recognised. Configurable: ZALO_EVENT_MAX_AGE_HOURS.
 */
export const ZALO_EVENT_MAX_AGE_MS = 24 * 3_600_000;
/** Events stamped further ahead of our clock than this are not Zalo's (clocks differ by seconds). */
export const ZALO_EVENT_MAX_AHEAD_MS = 3_600_000;

export interface ZaloWebhookOptions {
  signature: ZaloSignatureConfig;
  inbound: Pick<ZaloInboundQueue, 'add'>;
  log: Logger;
  /** The service clock, for the freshness check. Default Date.now. */
  now?: () => number;
  /** Older signed events are dropped. Default ZALO_EVENT_MAX_AGE_MS. */
  maxEventAgeMs?: number;
}

export function registerZaloWebhook(app: FastifyInstance, opts: ZaloWebhookOptions): void {
  // Which secret Zalo signs with is unconfirmed: log the first match per secret, not every request.
  const seen = new Set<ZaloSignatureSecret>();
  const now = opts.now ?? Date.now;
  const maxAgeMs = opts.maxEventAgeMs ?? ZALO_EVENT_MAX_AGE_MS;

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
        // Paths only: the values can be a child's report.
        opts.log.warn({ issues: event.error.issues.map((i) => i.path.join('.')) }, 'zalo webhook: signed event of an unexpected shape, dropped');
        return reply.code(200).send({ ok: true });
      }
      // The signature check guarantees a timestamp; one that is not a number cannot be shown fresh (NaN
      // fails the comparisons) and is dropped too.
      const ageMs = now() - Number(event.data.timestamp);
      if (!(ageMs <= maxAgeMs && ageMs >= -ZALO_EVENT_MAX_AHEAD_MS)) {
        opts.log.warn({ event: event.data.event_name, ageMinutes: Math.round(ageMs / 60_000) }, 'zalo webhook: signed event too far from our clock (a replay?), dropped');
        return reply.code(200).send({ ok: true });
      }
      await opts.inbound.add(event.data);
      return reply.code(200).send({ ok: true });
    });
  });
}

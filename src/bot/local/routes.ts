/**
 * The local chat page: with no platform token, anyone can try every role in a browser. The page posts
 * what a person types and polls their chat; the same handlers and store serve it as Telegram and Zalo.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LOOPBACK_HOSTS } from '../../config/env.js';
import { z } from 'zod';
import { nfc } from '../../text/vietnamese.js';
import { processIncoming, RetryLaterError, type InboundDeps } from '../inbound.js';
import type { LocalInbox } from './inbox.js';
import { localChatPage } from './page.js';

export interface DemoUser {
  id: string;
  label: string;
}

const userId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes, at most 40');

const SendBody = z.object({
  userId,
  /** Lets a page retry a POST without the message being handled twice: the turn's id. */
  clientId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64').optional(),
  text: z.string().max(20_000).optional(),
  choice: z.string().max(64).optional(),
  /** The pressed button's label, shown in the transcript instead of its value. */
  label: z.string().max(200).optional(),
});

/** The host name of a Host header or an Origin (`[::1]:3000` → `::1`). */
function hostName(hostPort: string): string {
  const m = hostPort.match(/^\[([^\]]+)\](?::\d+)?$/) ?? hostPort.match(/^([^:]+)(?::\d+)?$/);
  return (m?.[1] ?? '').toLowerCase();
}

/**
 * The local chat has no sign-in: it must answer only a page this machine loaded. A Host or Origin that
 * names anything but loopback (a DNS-rebinding page, another site's form) gets 403.
 */
async function loopbackOnly(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const origin = req.headers.origin;
  const originHost = origin === undefined ? undefined : /^https?:\/\/([^/]+)$/.exec(origin)?.[1];
  const ok = LOOPBACK_HOSTS.includes(hostName(req.headers.host ?? '')) && (origin === undefined || (originHost !== undefined && LOOPBACK_HOSTS.includes(hostName(originHost))));
  if (!ok) await reply.code(403).send({ error: 'forbidden' });
}

export function registerLocalChat(app: FastifyInstance, deps: InboundDeps & { inbox: LocalInbox; users: DemoUser[] }): void {
  const guarded = { onRequest: loopbackOnly };
  app.get('/', guarded, async (_req, reply) => reply.type('text/html; charset=utf-8').send(localChatPage()));
  app.get('/local/users', guarded, async () => deps.users);

  app.post('/local/send', guarded, async (req, reply) => {
    const parsed = SendBody.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    const body = parsed.data;
    const text = body.text === undefined ? undefined : nfc(body.text);
    if (!text && !body.choice) return reply.code(400).send({ error: 'text or choice is required' });
    await deps.inbox.append(body.userId, 'user', { text: text ?? body.label ?? body.choice ?? '' });
    const platformId = body.clientId ?? randomUUID();
    try {
      const result = await processIncoming({ channel: 'local', userId: body.userId, chatId: body.userId, text, choice: body.choice, media: [], platformId, receivedAt: Date.now() }, deps);
      return { ok: true, result };
    } catch (err) {
      if (!(err instanceof RetryLaterError)) throw err; // fastify logs it and answers 500
      deps.log.warn({ platformId, reason: err.message }, 'local message put off: the page may send it again');
      return reply.code(503).header('retry-after', '1').send({ error: 'busy, send again' });
    }
  });

  app.get('/local/messages', guarded, async (req, reply) => {
    const q = z.object({ userId, after: z.string().regex(/^(0|\d+-\d+)$/).default('0') }).safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: 'userId and after are required' });
    return deps.inbox.read(q.data.userId, q.data.after);
  });
}

/**
 * One way to hold a conversation on every channel, so a behaviour is written once and tested on each:
 * Telegram (webhook updates, replies read from the fake Bot API), Zalo (signed webhooks, replies read
 * from the fake OA API; choices answered by typing their number) and the local chat. The three harnesses
 * stay in one file (about 330 lines) so that they keep the same shape.
 */
import { randomBytes } from 'node:crypto';
import type { Channel } from '../../src/messaging/message.js';
import type { Logger } from '../../src/logger.js';
import type { ReportDraft } from '../../src/handlers/report/draft.js';
import { computeZaloSignature } from '../../src/bot/zalo/signature.js';
import { createPkcePair } from '../../src/bot/zalo/pkce.js';
import { parseZaloWebhook } from '../../src/bot/zalo/webhook-event.js';
import { zaloInboundJobId } from '../../src/bot/zalo/inbound-queue.js';
import { startWorkers, type RunningWorkers } from '../../src/app/workers.js';
import { startFakeTelegram } from './fake-telegram.js';
import { noteUserMessage, startFakeZalo, type FakeZalo, type FakeZaloOptions } from './fake-zalo.js';
import { LocalChatUser } from './local-chat.js';
import { startService, type TestService } from './service.js';
import { buttonUpdate, mediaUpdate, textUpdate } from './telegram-updates.js';
import { until } from './wait.js';
import { startZaloBotHarness } from './zalo-bot-harness.js';

/** A person talking to the service on one channel. */
export interface ChatDriver {
  readonly identity: string;
  /** Sends a text; resolves with the texts the service answered (choices included as the channel shows them). */
  say(text: string): Promise<string[]>;
  /** Picks a choice of the last answer by its label (a button, or on Zalo its number). */
  press(label: string): Promise<string[]>;
  /**
   * Sends a photo, file, voice note or location (with a caption where the platform allows one); the
   * local chat has no attachments, so it is missing there.
   */
  send?(media: SentMedia): Promise<string[]>;
  /** Presses a button of an earlier answer that is still on screen (channels with buttons only). */
  pressOld?(label: string): Promise<string[]>;
  /**
   * What the service sent on its own since the last look (a reminder, an alert), oldest first; delivered
   * by the outbox, so only where the harness runs it (`outbox: true`, always on Zalo).
   */
  received(): Promise<string[]>;
  /** The labels of the choices last offered (buttons, or numbered lines on Zalo). */
  offered(): string[];
  /** Every answer so far, oldest first. */
  readonly replies: string[];
}

export interface SentMedia {
  kind: 'photo' | 'file' | 'voice' | 'location';
  /** A file id or URL the platform would give; for a location "lat,long". */
  ref: string;
  caption?: string;
}

/** What each harness can be started with. */
export interface HarnessOptions {
  /** The service clock; where the platform stamps a message (Zalo), people's messages carry it too. */
  now?: () => number;
  /** Run the outbox workers, so that what the service sends on its own reaches `received()`. */
  outbox?: boolean;
}

export interface ChannelHarness {
  channel: Channel;
  svc: TestService;
  /** `n` tells people apart within one test file. */
  user(n: number): ChatDriver;
  stop(): Promise<void>;
}

/** The report draft the person is filling in, as the service keeps it (undefined with no conversation open). */
export async function reportDraft(h: ChannelHarness, u: ChatDriver): Promise<ReportDraft> {
  return (await h.svc.runtime.services.sessions.get(u.identity))?.data as unknown as ReportDraft;
}

// ---- Telegram --------------------------------------------------------------------------------------

type Keyboard = { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>> };

export async function startTelegramHarness(opts: HarnessOptions = {}): Promise<ChannelHarness> {
  const fake = await startFakeTelegram();
  const secret = 'conv-secret-0123456789abcdefghijklmnopqrstuv';
  const svc = await startService(
    {
      TELEGRAM_BOT_TOKEN: '123456:TEST-token',
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: secret,
      TELEGRAM_API_ROOT: fake.apiRoot,
    },
    opts,
  );
  const workers = await outboxIf(svc, opts);
  return {
    channel: 'telegram',
    svc,
    user(n) {
      const chatId = 700_000 + n;
      const replies: string[] = [];
      let lastButtons: Array<{ text: string; callback_data: string }> = [];
      const shown = new Map<string, string>();
      const take = unread(() => fake.callsTo('sendMessage').filter((c) => String(c.payload.chat_id) === String(chatId)));
      // The webhook answers after the dispatcher ran and the replies were sent, so the calls are all there.
      const post = async (update: object): Promise<string[]> => {
        const res = await svc.app.inject({
          method: 'POST',
          url: '/telegram/webhook',
          headers: { 'x-telegram-bot-api-secret-token': secret, 'content-type': 'application/json' },
          payload: update,
        });
        if (res.statusCode !== 200) throw new Error(`telegram webhook answered ${res.statusCode}`);
        const calls = take();
        const withButtons = calls.filter((c) => (c.payload.reply_markup as Keyboard | undefined)?.inline_keyboard);
        if (calls.length) lastButtons = (withButtons.at(-1)?.payload.reply_markup as Keyboard | undefined)?.inline_keyboard?.flat() ?? [];
        for (const b of lastButtons) shown.set(b.text, b.callback_data);
        const texts = calls.map((c) => String(c.payload.text));
        replies.push(...texts);
        return texts;
      };
      return {
        identity: `telegram:${chatId}`,
        replies,
        say: (text) => post(textUpdate(chatId, text)),
        send: (media) => post(mediaUpdate(chatId, media)),
        async received() {
          const texts = take().map((c) => String(c.payload.text));
          replies.push(...texts);
          return texts;
        },
        offered: () => lastButtons.map((b) => b.text),
        pressOld(label) {
          const data = shown.get(label);
          if (data === undefined) throw new Error(`no button "${label}" was ever shown`);
          return post(buttonUpdate(chatId, data));
        },
        press(label) {
          const button = lastButtons.find((b) => b.text === label);
          if (!button) throw new Error(`no button "${label}" among: ${lastButtons.map((b) => b.text).join(', ')}`);
          return post(buttonUpdate(chatId, button.callback_data));
        },
      };
    },
    async stop() {
      await workers?.close();
      await svc.stop();
      await fake.close();
    },
  };
}

/** The outbox workers alone (no scheduled jobs: reminders and clocks are run by the tests that want them). */
function outboxIf(svc: TestService, opts: HarnessOptions): Promise<RunningWorkers | undefined> {
  return opts.outbox ? startWorkers(svc.runtime, []) : Promise.resolve(undefined);
}

/** Reads a growing list of sent messages: each call returns the ones not returned before. */
function unread<T>(all: () => T[]): () => T[] {
  let taken = 0;
  return () => {
    const fresh = all().slice(taken);
    taken += fresh.length;
    return fresh;
  };
}

// ---- Zalo ------------------------------------------------------------------------------------------

export const ZALO_OA_ID = '579745863508352884';
export const ZALO_OA_SECRET_KEY = 'oa-secret-key-test';
/** The key before a rotation, still accepted. */
export const ZALO_OA_SECRET_KEY_PREVIOUS = 'oa-secret-key-before-rotation';

/** Service settings for a Zalo OA played by `fake`, in the middle of an OA Secret Key rotation. */
export function zaloEnv(fake: FakeZalo): Record<string, string> {
  return {
    ZALO_APP_ID: fake.appId,
    ZALO_APP_SECRET: fake.appSecret,
    ZALO_OA_SECRET_KEY,
    ZALO_OA_SECRET_KEY_PREVIOUS,
    ZALO_API_ROOT: fake.url,
    ZALO_OAUTH_ROOT: fake.url,
  };
}

/** Authorises the OA the way `npm run zalo:auth` does: a consent code exchanged with PKCE. */
export async function authoriseZalo(svc: TestService, fake: FakeZalo): Promise<void> {
  const { codeVerifier, codeChallenge } = createPkcePair();
  const code = `consent-${randomBytes(4).toString('hex')}`;
  fake.addAuthCode(code, codeChallenge);
  await svc.runtime.zalo!.tokens.exchangeCode(code, codeVerifier);
}

let msgCounter = 0;

/** A webhook body as Zalo sends it (ids and timestamp as strings). */
export function zaloEvent(appId: string, eventName: string, userId: string, extra: { text?: string; msgId?: string; at?: number; attachments?: unknown[]; adminId?: string } = {}) {
  const timestamp = String(extra.at ?? Date.now());
  if (eventName === 'follow' || eventName === 'unfollow') {
    return { app_id: appId, oa_id: ZALO_OA_ID, event_name: eventName, timestamp, user_id_by_app: `a${userId}`, follower: { id: userId }, source: 'testing' };
  }
  if (eventName.startsWith('oa_send_')) {
    return {
      app_id: appId,
      event_name: eventName,
      timestamp,
      sender: { id: ZALO_OA_ID, ...(extra.adminId ? { admin_id: extra.adminId } : {}) },
      recipient: { id: userId },
      message: { msg_id: extra.msgId ?? `oa${++msgCounter}${randomBytes(4).toString('hex')}`, text: extra.text ?? '' },
    };
  }
  const msgId = extra.msgId ?? `m${++msgCounter}${randomBytes(6).toString('hex')}`;
  // The person wrote: the fake OA, like Zalo, knows the message a reply may name.
  noteUserMessage(userId, msgId, Number(timestamp));
  return {
    app_id: appId,
    user_id_by_app: `a${userId}`,
    event_name: eventName,
    timestamp,
    sender: { id: userId },
    recipient: { id: ZALO_OA_ID },
    message: {
      msg_id: msgId,
      ...(extra.text !== undefined ? { text: extra.text } : {}),
      ...(extra.attachments ? { attachments: extra.attachments } : {}),
    },
  };
}

/**
 * POSTs a body to /zalo/webhook signed with `secret` (null: no signature header). `sent` replaces the
 * bytes after signing, as a tampering proxy would.
 */
export async function postZalo(svc: TestService, body: object | string, secret: string | null = ZALO_OA_SECRET_KEY, sent?: string) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = typeof body === 'string' ? '' : String((body as { timestamp?: string }).timestamp ?? '');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-zevent-signature'] = `mac=${computeZaloSignature(svc.env.ZALO_APP_ID ?? '', raw, ts, secret)}`;
  return svc.app.inject({ method: 'POST', url: '/zalo/webhook', headers, payload: sent ?? raw });
}

/** Waits until the inbound job for this body has run (or throws if it failed). */
export async function zaloProcessed(svc: TestService, body: object): Promise<void> {
  const parsed = parseZaloWebhook(body);
  if (!parsed.success) throw new Error('not a Zalo event');
  const jobId = zaloInboundJobId(parsed.data, svc.runtime.services.cipher);
  const queue = svc.runtime.zalo!.inbound.queue;
  await until(async () => {
    const state = await queue.getJobState(jobId);
    if (state === 'failed') throw new Error(`zalo inbound job ${jobId} failed`);
    return state === 'completed';
  }, 15_000, `zalo job ${jobId}`);
}

const ZALO_MEDIA_EVENT: Record<SentMedia['kind'], string> = {
  photo: 'user_send_image',
  file: 'user_send_file',
  voice: 'user_send_audio',
  location: 'user_send_location',
};

/** An attachment as the OA webhook carries it. */
function zaloAttachment(media: SentMedia): unknown {
  if (media.kind === 'location') {
    const [latitude, longitude] = media.ref.split(',');
    return { type: 'location', payload: { coordinates: { latitude, longitude } } };
  }
  return { type: media.kind === 'photo' ? 'image' : media.kind === 'voice' ? 'audio' : 'file', payload: { url: media.ref } };
}

export interface ZaloHarness extends ChannelHarness {
  fake: FakeZalo;
  workers: RunningWorkers;
}

/** `env` adds to the Zalo settings (e.g. another CONFIG_FILE); people's events are stamped with `now`. */
export async function startZaloHarness(opts: HarnessOptions & { zaloPerSecond?: number; env?: Record<string, string>; fake?: FakeZaloOptions; log?: Logger } = {}): Promise<ZaloHarness> {
  const fake = await startFakeZalo(opts.fake);
  const svc = await startService({ ...zaloEnv(fake), ...opts.env }, opts);
  await authoriseZalo(svc, fake);
  // The outbox and the Zalo inbound job only (so `outbox` is always on): scheduled jobs (reminders) would write to test inboxes.
  const workers = await startWorkers(svc.runtime, [svc.runtime.zalo!.inboundJob]);
  return {
    channel: 'zalo',
    svc,
    fake,
    workers,
    user(n) {
      const userId = `84000000000000${String(n).padStart(5, '0')}`; // 19 digits, beyond a safe JS integer
      const replies: string[] = [];
      const take = unread(() => fake.messages.filter((m) => m.userId === userId));
      const deliver = async (eventName: string, extra: { text?: string; attachments?: unknown[] }): Promise<string[]> => {
        const body = zaloEvent(fake.appId, eventName, userId, { ...extra, at: (opts.now ?? Date.now)() });
        const res = await postZalo(svc, body);
        if (res.statusCode !== 200) throw new Error(`zalo webhook answered ${res.statusCode}: ${res.body}`);
        // Replies are sent by the inbound job before it completes.
        await zaloProcessed(svc, body);
        const texts = take().map((m) => m.text);
        replies.push(...texts);
        return texts;
      };
      const say = (text: string) => deliver('user_send_text', { text });
      return {
        identity: `zalo:${userId}`,
        replies,
        say,
        send: (media) => deliver(ZALO_MEDIA_EVENT[media.kind], { ...(media.caption ? { text: media.caption } : {}), attachments: [zaloAttachment(media)] }),
        async received() {
          const texts = take().map((m) => m.text);
          replies.push(...texts);
          return texts;
        },
        offered: () => (replies.at(-1) ?? '').split('\n').filter((l) => /^\d+\.\s/.test(l)).map((l) => l.replace(/^\d+\.\s*/, '')),
        press(label) {
          // Choices arrive as "1. label" lines: a person types the number.
          const last = replies.at(-1) ?? '';
          const line = last.split('\n').find((l) => l.replace(/^\d+\.\s*/, '') === label && /^\d+\./.test(l));
          if (!line) throw new Error(`no choice "${label}" in: ${last}`);
          return say(line.slice(0, line.indexOf('.')));
        },
      };
    },
    async stop() {
      await workers.close();
      await svc.stop();
      await fake.close();
    },
  };
}

// ---- local chat ------------------------------------------------------------------------------------

export async function startLocalHarness(opts: HarnessOptions = {}): Promise<ChannelHarness> {
  const svc = await startService({}, opts);
  const workers = await outboxIf(svc, opts);
  return {
    channel: 'local',
    svc,
    user(n) {
      const u = new LocalChatUser(() => svc.app, `conv-user-${n}`);
      const replies: string[] = [];
      let lastChoices: Array<{ label: string; value: string }> = [];
      const shown = new Map<string, string>();
      const record = (rs: Array<{ text: string; choices?: Array<{ label: string; value: string }> }>) => {
        const withChoices = rs.filter((r) => r.choices?.length);
        if (rs.length) lastChoices = withChoices.at(-1)?.choices ?? [];
        for (const c of lastChoices) shown.set(c.label, c.value);
        const texts = rs.map((r) => r.text);
        replies.push(...texts);
        return texts;
      };
      return {
        identity: `local:conv-user-${n}`,
        replies,
        say: async (text) => record(await u.say(text)),
        received: async () => record(await u.inbox()),
        offered: () => lastChoices.map((c) => c.label),
        async pressOld(label) {
          const value = shown.get(label);
          if (value === undefined) throw new Error(`no choice "${label}" was ever shown`);
          return record(await u.press(value));
        },
        async press(label) {
          const choice = lastChoices.find((c) => c.label === label);
          if (!choice) throw new Error(`no choice "${label}" among: ${lastChoices.map((c) => c.label).join(', ')}`);
          return record(await u.press(choice.value));
        },
      };
    },
    async stop() {
      await workers?.close();
      await svc.stop();
    },
  };
}

export const HARNESSES: Record<Channel, (opts?: HarnessOptions) => Promise<ChannelHarness>> = {
  telegram: startTelegramHarness,
  zalo: startZaloHarness,
  zalobot: (opts) => startZaloBotHarness({}, opts),
  local: startLocalHarness,
};

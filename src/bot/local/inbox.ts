/**
 * The local chat's "platform": each local user's chat is a capped Redis stream. The handlers' replies and
 * anything the service sends proactively to a local user are appended here; the page reads after a cursor.
 * Transcripts hold report details, so each entry is sealed like a report.
 */
import type { Redis } from 'ioredis';
import type { ChannelSender } from '../../messaging/channel.js';
import type { OutgoingMessage } from '../../messaging/message.js';
import type { DataCipher } from '../../store/crypto.js';
import { sealedValue } from '../../store/rekey.js';

const MAX_MESSAGES = 500;
const chatKey = (userId: string) => `local:chat:${userId}`;

/** Where transcripts are sealed (each entry's `m`), for `npm run rotate-key` (store/rekey.ts). */
export const localChatRule = sealedValue(/^local:chat:[a-z0-9-]+$/, 'stream', ['m']);

export interface LocalChatEntry {
  id: string;
  from: 'user' | 'service';
  message: OutgoingMessage;
}

export class LocalInbox implements ChannelSender {
  constructor(
    private readonly redis: Redis,
    private readonly cipher: DataCipher,
  ) {}

  async send(chatId: string, message: OutgoingMessage): Promise<void> {
    await this.append(chatId, 'service', message);
  }

  async append(userId: string, from: LocalChatEntry['from'], message: OutgoingMessage): Promise<string> {
    const id = await this.redis.xadd(chatKey(userId), 'MAXLEN', '~', String(MAX_MESSAGES), '*', 'from', from, 'm', this.cipher.seal(message, chatKey(userId)));
    return id ?? '';
  }

  async read(userId: string, after = '0'): Promise<LocalChatEntry[]> {
    const rows = await this.redis.xrange(chatKey(userId), after === '0' ? '-' : `(${after}`, '+', 'COUNT', 200);
    return rows.map(([id, kv]) => {
      const m = new Map<string, string>();
      for (let i = 0; i < kv.length; i += 2) m.set(kv[i] ?? '', kv[i + 1] ?? '');
      return { id, from: (m.get('from') ?? 'service') as LocalChatEntry['from'], message: this.cipher.open<OutgoingMessage>(m.get('m') ?? '', chatKey(userId)) };
    });
  }
}

/** Drives the local chat page's HTTP API the way the browser page does. */
import type { FastifyInstance } from 'fastify';
import type { OutgoingMessage } from '../../src/messaging/message.js';
import { until } from './wait.js';

export class LocalChatUser {
  private cursor = '0';

  constructor(
    private readonly app: () => FastifyInstance,
    readonly userId: string,
  ) {}

  /** Sends a text (or a button value) and returns what the service answered. */
  async say(text: string): Promise<OutgoingMessage[]> {
    return this.post({ text });
  }

  async press(choice: string): Promise<OutgoingMessage[]> {
    return this.post({ choice });
  }

  /** Messages that arrived since the last read (e.g. alerts sent by other people's actions). */
  async inbox(): Promise<OutgoingMessage[]> {
    const res = await this.app().inject({ method: 'GET', url: `/local/messages?userId=${this.userId}&after=${this.cursor}` });
    const entries = res.json() as Array<{ id: string; from: string; message: OutgoingMessage }>;
    if (entries.length) this.cursor = entries.at(-1)!.id;
    return entries.filter((e) => e.from === 'service').map((e) => e.message);
  }

  /** The text of the last answer. */
  async last(text: string): Promise<string> {
    const replies = await this.say(text);
    return replies.map((r) => r.text).join('\n---\n');
  }

  private async post(body: Record<string, string>): Promise<OutgoingMessage[]> {
    await this.inbox();
    const res = await this.app().inject({ method: 'POST', url: '/local/send', payload: { userId: this.userId, ...body } });
    if (res.statusCode !== 200) throw new Error(`local send failed: ${res.statusCode} ${res.body}`);
    return this.inbox();
  }
}

/** Collects everything a user received, across reads. */
export class Inbox {
  readonly all: OutgoingMessage[] = [];
  constructor(readonly u: LocalChatUser) {}
  async read(): Promise<OutgoingMessage[]> {
    this.all.push(...(await this.u.inbox()));
    return this.all;
  }
  async waitFor(part: string, what = part): Promise<OutgoingMessage> {
    let found: OutgoingMessage | undefined;
    await until(async () => (found = (await this.read()).find((m) => m.text.includes(part))) !== undefined, 20_000, what);
    return found!;
  }
  count(part: string): number {
    return this.all.filter((m) => m.text.includes(part)).length;
  }
}

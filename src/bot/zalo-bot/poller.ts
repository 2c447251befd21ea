/**
 * Long polling for the Zalo Bot, for a service without a public HTTPS address. One poller per token:
 * polling and a webhook exclude each other, so start() first removes any webhook.
 *
 * The Bot Platform documents no offset: an update fetched is an update Zalo considers delivered. So
 * `onUpdate` must take it durably and quickly (queue it). While it cannot (Redis down), it is retried
 * with the same growing wait and nothing more is fetched: an update already fetched has nowhere else to
 * be, so it is never given up while the process runs (only a stop in the middle logs it as lost). A
 * poll that fails waits (1 s doubling to 30 s) and tries again.
 */
import type { Logger } from '../../logger.js';
import { ZaloBotApiError, type ZaloBotClient } from './client.js';
import { parseZaloBotUpdate, type ZaloBotUpdate } from './update.js';

export interface ZaloBotPollerOptions {
  client: ZaloBotClient;
  onUpdate: (update: ZaloBotUpdate) => Promise<void>;
  log: Logger;
  /** Seconds one poll may wait for an update. Default 30. */
  timeoutSec?: number;
  /** First and longest wait after a failure (of a poll or of `onUpdate`). Default 1 s and 30 s. */
  backoffMs?: { min: number; max: number };
}

export class ZaloBotPoller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly log: Logger;

  constructor(private readonly opts: ZaloBotPollerOptions) {
    this.log = opts.log.child({ module: 'zalo-bot-poller' });
  }

  /** Removes any webhook, then polls until stop(). */
  async start(): Promise<void> {
    await this.opts.client.deleteWebhook();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { min, max } = this.opts.backoffMs ?? { min: 1_000, max: 30_000 };
    let wait = min;
    while (!this.stopped) {
      let updates: unknown[];
      try {
        updates = await this.opts.client.getUpdates(this.opts.timeoutSec ?? 30, this.abort.signal);
        wait = min;
      } catch (err) {
        if (this.stopped) return;
        const code = err instanceof ZaloBotApiError ? err.errorCode : undefined;
        this.log.error({ err, code, retryInMs: wait }, 'zalo bot: polling failed');
        await this.sleep(wait);
        wait = Math.min(wait * 2, max);
        continue;
      }
      for (const raw of updates) await this.take(raw);
    }
  }

  private async take(raw: unknown): Promise<void> {
    const update = parseZaloBotUpdate(raw);
    if (!update.success) {
      this.log.warn({ issues: update.error.issues.map((i) => i.path.join('.')) }, 'zalo bot: update of an unexpected shape, dropped');
      return;
    }
    const { min, max } = this.opts.backoffMs ?? { min: 1_000, max: 30_000 };
    for (let wait = min; ; wait = Math.min(wait * 2, max)) {
      try {
        await this.opts.onUpdate(update.data);
        return;
      } catch (err) {
        if (this.stopped) {
          // Content never logged: it may be a report about a child.
          this.log.error({ err, event: update.data.event_name }, 'zalo bot: stopped before an update could be taken; it is lost');
          return;
        }
        this.log.error({ err, event: update.data.event_name, retryInMs: wait }, 'zalo bot: an update could not be taken yet, retrying');
        await this.sleep(wait);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.abort.signal.addEventListener('abort', done, { once: true });
    });
  }
}

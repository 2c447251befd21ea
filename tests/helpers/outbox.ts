/**
 * An outbox with its workers in one object, as a process has them (the producer in src/actions/outbox/,
 * the workers in src/jobs/outbox/): for tests that drive the outbox alone.
 */
import { Outbox, type DeadLetterHook, type OutboxOptions } from '../../src/actions/outbox/outbox.js';
import { OutboxWorkers, type OutboxWorkersOptions } from '../../src/jobs/outbox/workers.js';

export type TestOutboxOptions = OutboxOptions & OutboxWorkersOptions & { onDeadLetter?: DeadLetterHook };

export class TestOutbox extends Outbox {
  readonly workers: OutboxWorkers;

  constructor(opts: TestOutboxOptions) {
    super(opts);
    if (opts.onDeadLetter) this.onDeadLetter(opts.onDeadLetter);
    this.workers = new OutboxWorkers(this, opts);
  }

  startWorkers(): Promise<void> {
    return this.workers.start();
  }

  override async close(opts: { force?: boolean } = {}): Promise<void> {
    await this.workers.close(opts);
    await super.close(opts);
  }
}

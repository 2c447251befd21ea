/**
 * What a job module is: a queue with its processor (and schedulers), started and stopped with the
 * process. The list of modules a process runs is the wiring layer's (src/app/workers.ts).
 */
import type { ActionDeps } from '../actions/deps.js';
import type { RedisTarget } from '../config/env.js';

/** What jobs need: the actions' dependencies, and which Redis their own worker connections go to. */
export interface JobDeps extends ActionDeps {
  /** For BullMQ workers, which open their own connections. */
  redisTarget: RedisTarget;
}

export interface Closable {
  close(): Promise<void>;
}

export interface JobModule {
  name: string;
  start(deps: JobDeps): Promise<Closable>;
}

/**
 * Stopping a process on SIGINT/SIGTERM so that it always ends: the steps run in order (stop taking
 * work, finish running jobs, close connections, stop the private Redis last); past the deadline the
 * step still running is logged as abandoned and the process exits; a second signal exits at once.
 * Either way `force` runs first, so nothing this process started (its redis-server) outlives it.
 */
import type { Logger } from '../logger.js';

export interface ShutdownStep {
  /** Named in the log when the deadline abandons it. */
  name: string;
  run(): Promise<unknown>;
}

export interface ShutdownPlan {
  log: Logger;
  deadlineMs: number;
  steps: ShutdownStep[];
  /** Synchronous last resort before a forced exit (signal the private redis-server, which flushes its AOF itself). */
  force?: () => void;
  /** Called once after the last step, before exiting 0 (e.g. remove a file). */
  done?: () => void;
}

/** Signals this soon after the first are copies of it (relayed by npm and tsx), not a second Ctrl-C. */
const RELAYED_WITHIN_MS = 500;

export function stopOnSignals(plan: ShutdownPlan): void {
  let current: string | undefined;
  let stopping = false;
  const forceExit = (why: string) => {
    plan.log.warn({ abandoned: current }, why);
    plan.force?.();
    process.exit(1);
  };
  let firstAt = 0;
  const shutdown = async (signal: string) => {
    if (stopping) {
      // One Ctrl-C arrives more than once: the terminal signals the whole group and npm and tsx relay
      // it to the service as well. Only a signal well after the first is a person pressing again.
      if (Date.now() - firstAt < RELAYED_WITHIN_MS) return;
      return forceExit('second signal: exiting now');
    }
    stopping = true;
    firstAt = Date.now();
    plan.log.info({ signal }, 'shutting down');
    setTimeout(() => forceExit(`shutdown took longer than ${plan.deadlineMs} ms: exiting`), plan.deadlineMs).unref();
    for (const step of plan.steps) {
      current = step.name;
      try {
        await step.run();
      } catch (err) {
        plan.log.error({ step: step.name, err: err instanceof Error ? err.message : String(err) }, 'shutdown step failed');
      }
    }
    current = undefined;
    plan.done?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

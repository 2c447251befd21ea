/**
 * A process for tests/shutdown.test.ts whose shutdown never finishes on its own: its one step hangs,
 * as a connection retrying a dead Redis would. Prints READY once its signal handlers are set and
 * FORCED when the last-resort hook runs. Argument: the deadline in milliseconds.
 */
import { stopOnSignals } from '../../src/app/shutdown.js';
import { createLogger } from '../../src/logger.js';

stopOnSignals({
  log: createLogger('info'),
  deadlineMs: Number(process.argv[2]),
  steps: [{ name: 'close connections', run: () => new Promise(() => undefined) }],
  force: () => console.log('FORCED'),
});
setInterval(() => undefined, 1000); // stays up until a signal
console.log('READY');

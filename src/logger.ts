import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON logger for the process; child loggers add a `module` field. */
export function createLogger(level: string = 'info'): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}

/** A logger that drops everything, for tests and benchmarks that do not read logs. */
export const silentLogger: Logger = pino({ level: 'silent' });

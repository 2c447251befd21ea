/**
 * The way back to whoever started this module, whether it runs as a worker thread (runThread) or as a
 * child process with an IPC channel (runProcess): the fake platforms work the same in both.
 */
import { parentPort } from 'node:worker_threads';

export interface Parent {
  post(message: { type: string; value: unknown }): void;
  on(listener: (message: unknown) => void): void;
}

export function parent(): Parent {
  if (parentPort) {
    const port = parentPort;
    return { post: (m) => port.postMessage(m), on: (l) => port.on('message', l) };
  }
  if (!process.send) throw new Error('started neither as a worker thread nor with an IPC channel');
  return { post: (m) => process.send?.(m), on: (l) => process.on('message', l) };
}

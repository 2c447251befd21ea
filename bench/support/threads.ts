/**
 * Runs a TypeScript module in a worker thread (through tsx), so the benchmark's load generator and fake
 * platform do not share the service's event loop.
 */
import { Worker } from 'node:worker_threads';

export function runThread<T>(moduleUrl: URL, data: unknown): { worker: Worker; result: Promise<T>; ready: Promise<unknown> } {
  // A worker's entry module is loaded before --import hooks apply, so register tsx first, then import.
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  let readyResolve: (v: unknown) => void = () => undefined;
  const ready = new Promise((r) => (readyResolve = r));
  const result = new Promise<T>((resolve, reject) => {
    worker.on('message', (m: { type: string; value: unknown }) => {
      if (m.type === 'ready') readyResolve(m.value);
      if (m.type === 'result') resolve(m.value as T);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && reject(new Error(`thread exited with ${code}`)));
  });
  return { worker, result, ready };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Sends `message` to a thread and resolves with the value of its next reply of type `type`. */
export function askThread<T>(worker: Worker, message: string, type: string): Promise<T> {
  return new Promise((resolve) => {
    const listen = (m: { type: string; value: unknown }): void => {
      if (m.type !== type) return;
      worker.off('message', listen);
      resolve(m.value as T);
    };
    worker.on('message', listen);
    worker.postMessage(message);
  });
}

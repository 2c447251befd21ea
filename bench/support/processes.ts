/**
 * Child processes for benchmarks that compare whole servers: each side gets its own process (its own
 * event loop and CPU account), started and stopped here, with its CPU time read from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataKey } from '../../src/store/crypto.js';
import { freePort } from '../../src/store/redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BenchProcess {
  child: ChildProcess;
  /** The first { type: 'ready' } message's value (IPC processes only). */
  ready: Promise<unknown>;
  /** Sends a message and resolves with the value of the next reply of `type`. */
  ask<T>(message: string, type: string): Promise<T>;
  stop(): Promise<number | null>;
}

/** Runs a TypeScript module in a child node process (through tsx) with an IPC channel. */
export function runProcess(moduleUrl: URL, env: Record<string, string> = {}): BenchProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return wrap(child);
}

/** Runs a command (e.g. `node dist/main.js`), no IPC; `ready` resolves at once. `stdout`: a file descriptor for its output. */
export function runCommand(command: string, args: string[], env: Record<string, string>, cwd: string, stdout?: number): BenchProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', stdout ?? 'ignore', 'inherit'] });
  return wrap(child);
}

function wrap(child: ChildProcess): BenchProcess {
  const ready = new Promise<unknown>((resolve, reject) => {
    if (!child.send) return resolve(undefined);
    const listen = (m: { type?: string; value?: unknown }): void => {
      if (m.type !== 'ready') return;
      child.off('message', listen);
      resolve(m.value);
    };
    child.on('message', listen);
    child.once('exit', (code) => reject(new Error(`process exited with ${code} before it was ready`)));
  });
  return {
    child,
    ready,
    ask<T>(message: string, type: string): Promise<T> {
      return new Promise((resolve) => {
        const listen = (m: { type?: string; value?: unknown }): void => {
          if (m.type !== type) return;
          child.off('message', listen);
          resolve(m.value as T);
        };
        child.on('message', listen);
        child.send?.(message);
      });
    },
    stop(): Promise<number | null> {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      });
    },
  };
}

/** User + system CPU seconds a process has used so far (all its threads), from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces, hence the last ')'); utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / CLOCK_TICKS;
}

/** Linux's USER_HZ: /proc counts CPU time in 1/100 s on every mainstream architecture. */
const CLOCK_TICKS = 100;

/**
 * Read- and write-family system calls of a process so far (/proc/<pid>/io: every socket read and write,
 * all threads), and how often its main thread went to sleep waiting (voluntary context switches): counts
 * that a busy machine does not change, where CPU time does.
 */
export function syscallCounts(pid: number): { syscalls: number; sleeps: number } {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (text: string, name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
  return { syscalls: field(io, 'syscr') + field(io, 'syscw'), sleeps: field(status, 'voluntary_ctxt_switches') };
}

/** Resident set size of a process in MB from /proc/<pid>/status (VmHWM: its peak so far). */
export function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Polls `url` until it answers 2xx; rejects after timeoutMs or when the process died. */
export async function waitForHttp(url: string, proc: BenchProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${url}: the process exited with ${proc.child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** `npm run build` (skipped with BENCH_SKIP_BUILD=1): benchmarks measure the code production runs. */
export function buildService(): void {
  if (process.env.BENCH_SKIP_BUILD === '1') return;
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
}

export interface CompiledService {
  proc: BenchProcess;
  port: number;
  webhookUrl: string;
}

export interface ServiceOptions {
  apiRoot: string;
  redisUrl: string;
  dataDir: string;
  secret: string;
  /** Job workers in the web process, or `off` (default: the README's deployment, workers apart). */
  workers?: string;
  /** Processes that share one Redis must share its data key; a fresh one when absent. */
  dataKey?: string;
  /** Makes /metrics readable on the main port (it answers 404 without a token: src/http/metrics.ts). */
  metricsToken?: string;
  /** Another build's output folder (an A/B against a previous build), instead of dist/. */
  dist?: string;
  /** Node flags for this process instead of the production heap flags (e.g. an older build that needs others). */
  nodeFlags?: string[];
}

/** The environment production gives `dist/main.js` and `dist/worker.js` in Telegram webhook mode. */
function serviceEnv(opts: ServiceOptions, port: number): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: '123456:BENCH',
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: opts.secret,
    TELEGRAM_API_ROOT: opts.apiRoot,
    REDIS_URL: opts.redisUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'error',
    DATA_KEY: opts.dataKey ?? generateDataKey(),
    DATA_DIR: opts.dataDir,
    WORKERS: opts.workers ?? 'off',
    // As the README's production command: two malloc arenas, not one per thread (~5 MB less resident).
    MALLOC_ARENA_MAX: '2',
    ...(opts.metricsToken ? { METRICS_TOKEN: opts.metricsToken } : {}),
    // Node flags for the service alone (e.g. heap sizes), not for the benchmark's own process.
    NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS ?? '',
  };
}

/**
 * The heap flags of the README's production command for a web process (why: README, Deployment).
 * BENCH_SERVICE_NODE_OPTIONS replaces them (flags on the command line would win over NODE_OPTIONS).
 */
const WEB_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=512'];

/**
 * `node <WEB_NODE_FLAGS> dist/main.js` in Telegram webhook mode on `redisUrl`, replying to the fake Bot
 * API at `apiRoot`, ready once /healthz answers.
 */
export async function startCompiledService(opts: ServiceOptions): Promise<CompiledService> {
  const port = await freePort();
  const heap = opts.nodeFlags ?? (process.env.BENCH_SERVICE_NODE_OPTIONS === undefined ? WEB_NODE_FLAGS : []);
  // BENCH_PROFILE=<dir>: a V8 CPU profile of the service, written there when it stops (node refuses --cpu-prof in NODE_OPTIONS).
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const dist = opts.dist ?? join(ROOT, 'dist');
  if (opts.dist) checkBuildFolder(opts.dist);
  const proc = runCommand(process.execPath, [...heap, ...profile, join(dist, 'main.js')], serviceEnv(opts, port), ROOT);
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc);
  return { proc, port, webhookUrl: `http://127.0.0.1:${port}/telegram/webhook` };
}

/**
 * A copy of a build's dist/ runs only with what the compiled code finds beside it, as in the repository:
 * the example communes (config/, the default CONFIG_FILE), the classifier (models/), package.json (ESM)
 * and node_modules/. Said at once, rather than as a service that exits before it is healthy.
 */
function checkBuildFolder(dist: string): void {
  const beside = ['main.js', '../config/communes.example.yaml', '../models/classifier.json', '../package.json', '../node_modules/grammy'];
  const missing = beside.filter((p) => !existsSync(join(dist, p)));
  if (missing.length) {
    throw new Error(`${dist}: ${missing.join(', ')} missing. Copy dist/ into <folder>/dist and put config/, models/, package.json and node_modules/ (a symlink will do) beside it`);
  }
}

/** `node dist/worker.js` beside web processes started with the same options (and data key). */
export function startCompiledWorker(opts: ServiceOptions): BenchProcess {
  return runCommand(process.execPath, [join(ROOT, 'dist/worker.js')], serviceEnv(opts, 0), ROOT);
}

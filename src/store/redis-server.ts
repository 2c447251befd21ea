/**
 * Starts a private redis-server (AOF on, data in a given folder, a free port on 127.0.0.1).
 * Used by `npm start` when REDIS_URL is not set, and by the tests: both need a real Redis, not a mock.
 * `private` (npm start): a generated password, given in a 0600 config file (never on the command line,
 * which any local user can read), and the folder 0700 with every file in it 0600 (the AOF holds the
 * data): the server runs under umask 077, and files an older version left open are closed at start.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface RedisServerHandle {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
  /** Ends the server at once, as a crash would (SIGKILL: nothing flushed). */
  kill(): Promise<void>;
  /** Asks the server to stop (SIGTERM: it flushes its AOF) without waiting: for an exit that cannot wait. */
  signalStop(): void;
}

export interface RedisServerOptions {
  port?: number;
  /** More redis-server arguments (cluster mode, replicaof, sentinel), after the defaults. */
  args?: string[];
  /** A config file read first: Sentinel needs one it can rewrite. */
  configFile?: string;
  /**
   * Runs the server in its own process group, so a Ctrl-C meant for the service does not stop Redis
   * under its feet (the service stops it last). A server left by a process that was killed outright is
   * found by its pid file and stopped before a new one starts on the same folder.
   */
  ownProcessGroup?: boolean;
  /** A generated password and owner-only files (see the header). */
  private?: boolean;
}

/** The folder 0700 and everything in it owner-only (folders 0700, files 0600). */
export function closeUp(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) closeUp(path);
    else if (entry.isFile()) chmodSync(path, 0o600);
  }
}

export class RedisBinaryMissingError extends Error {
  constructor() {
    super(
      'redis-server was not found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`, ' +
        'macOS: `brew install redis`) or set REDIS_URL to an existing Redis.',
    );
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function findBinary(): string {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new RedisBinaryMissingError();
  return 'redis-server';
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server did not answer within ${timeoutMs} ms`);
}

/** Stops a redis-server a killed predecessor left running on this folder (its pid file names it). */
async function stopLeftover(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  const isRedis = (): boolean => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
    } catch {
      return false;
    }
  };
  if (!Number.isInteger(pid) || pid <= 1 || !isRedis()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && isRedis(); i++) await new Promise((r) => setTimeout(r, 50));
}

export async function startRedisServer(dir: string, opts: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const bin = findBinary();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pidFile = join(dir, 'redis-server.pid');
  if (opts.ownProcessGroup) await stopLeftover(pidFile);
  const port = opts.port ?? (await freePort());
  let password: string | undefined;
  let configFile = opts.configFile;
  if (opts.private) {
    closeUp(dir);
    password = randomBytes(24).toString('hex');
    configFile = join(dir, 'redis.conf');
    writeFileSync(configFile, `requirepass ${password}\n`, { mode: 0o600 });
    chmodSync(configFile, 0o600);
  }
  const args = [
    ...(configFile ? [configFile] : []),
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--protected-mode', 'yes',
    '--loglevel', 'warning',
    ...(opts.ownProcessGroup ? ['--pidfile', pidFile] : []),
    ...(opts.args ?? []),
  ];
  // Under umask 077 every file the server writes (AOF, pid file) is owner-only; exec keeps the pid.
  const [command, argv] = opts.private ? ['sh', ['-c', 'umask 077 && exec "$0" "$@"', bin, ...args]] : [bin, args];
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'], detached: opts.ownProcessGroup ?? false });
  const url = password ? `redis://:${password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`;
  await waitForPing(url, child, 10_000);
  const end = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    url,
    port,
    pid: child.pid as number,
    stop: () => end('SIGTERM'), // redis-server flushes the AOF on SIGTERM
    kill: () => end('SIGKILL'),
    signalStop: () => void end('SIGTERM'),
  };
}

/**
 * Ctrl-C on `npm start` always ends it: the terminal sends SIGINT to the whole foreground process group
 * (npm, tsx, node), the private redis-server is in a group of its own so it is not stopped under the
 * service's feet, the service stops it last, and nothing is left running. A second Ctrl-C exits at once.
 * The same `npm start` serves the web console in the try-out mode, so that is tried here too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/store/redis-server.js';
import { until } from './helpers/wait.js';

const ROOT = resolve(import.meta.dirname, '..');
const SHUTDOWN_SECONDS = 10;
const dirs: string[] = [];
const leaders: ChildProcess[] = [];

afterEach(() => {
  for (const child of leaders.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL'); // npm start's whole group
    } catch {
      child.kill('SIGKILL'); // not a group leader, or gone already
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Every live process whose process group is `pgid`, from /proc. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        // Fields after the ")" that ends the command name: state, ppid, pgrp.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] !== 'Z' && Number(fields[2]) === pgid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** `npm start` as a terminal runs it: the leader of its own process group. */
async function npmStart(): Promise<{ leader: ChildProcess; redisPid: number; port: number; output: () => string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'treem-ctrlc-'));
  dirs.push(dataDir);
  const port = await freePort();
  const leader = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', SHUTDOWN_SECONDS: String(SHUTDOWN_SECONDS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  leaders.push(leader);
  let output = '';
  leader.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  leader.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await until(() => healthy(port), 60_000, `npm start on ${port} (output: ${output})`);
  const pidFile = join(dataDir, 'redis', 'redis-server.pid');
  await until(() => existsSync(pidFile), 10_000, 'the private redis-server pid file');
  return { leader, redisPid: Number(readFileSync(pidFile, 'utf8').trim()), port, output: () => output };
}

describe('Ctrl-C on npm start', () => {
  it('ends npm, tsx, node and the private redis-server within the deadline, leaving nothing running', async () => {
    const { leader, redisPid, port, output } = await npmStart();
    const pgid = leader.pid as number;
    expect(groupMembers(pgid).length).toBeGreaterThanOrEqual(2); // npm and the service at least
    expect(groupMembers(pgid)).not.toContain(redisPid); // Redis has a group of its own
    expect(alive(redisPid)).toBe(true);

    const sent = Date.now();
    process.kill(-pgid, 'SIGINT');
    // Generous on a slow machine; the shutdown's own deadline is what ends a hang.
    await until(() => groupMembers(pgid).length === 0 && !alive(redisPid), (SHUTDOWN_SECONDS + 20) * 1000, `everything to exit (output: ${output()})`);
    expect(Date.now() - sent).toBeLessThan((SHUTDOWN_SECONDS + 20) * 1000);
    expect(output()).toContain('"signal":"SIGINT"');
    expect(output()).not.toMatch(/ECONNREFUSED|"level":50/);
    expect(output()).not.toContain('shutdown took longer'); // it ended by itself, not by its deadline
    expect(output()).not.toContain('second signal'); // one Ctrl-C, even though npm and tsx relay it
    expect(await healthy(port)).toBe(false);
  }, 120_000);

});

describe('the try-out mode', () => {
  it('turns the web console on at the local address: an officer sends /web on the chat page and the link opens', async () => {
    const { leader, port } = await npmStart();
    const base = `http://127.0.0.1:${port}`;
    try {
      const sent = await fetch(`${base}/local/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'can-bo', text: '/web' }) });
      expect(sent.status).toBe(200);
      const messages = (await (await fetch(`${base}/local/messages?userId=can-bo&after=0`)).json()) as Array<{ message: { text: string } }>;
      const link = messages.map((m) => m.message.text).join('\n').match(/http:\/\/127\.0\.0\.1:\d+\/console\/dang-nhap\?t=\S+/)?.[0];
      expect(link, JSON.stringify(messages)).toContain(`${base}/console/`);
      const page = await fetch(link as string);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<form/);
    } finally {
      process.kill(-(leader.pid as number), 'SIGINT');
      await until(() => groupMembers(leader.pid as number).length === 0, (SHUTDOWN_SECONDS + 20) * 1000, 'npm start to exit');
    }
  }, 120_000);
});

describe('a shutdown that hangs', () => {
  /** A process whose shutdown step never ends; resolves once it is listening for signals. */
  async function stuck(deadlineMs: number): Promise<{ child: ChildProcess; exit: Promise<number | null>; output: () => string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/helpers/stuck-shutdown-child.ts', String(deadlineMs)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    leaders.push(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    await until(() => output.includes('READY'), 30_000, `the child to start (output: ${output})`);
    return { child, exit, output: () => output };
  }

  it('ends at its deadline, naming the step it abandoned and running the last-resort hook', async () => {
    const p = await stuck(300);
    p.child.kill('SIGTERM');
    expect(await p.exit).toBe(1);
    expect(p.output()).toMatch(/shutdown took longer than 300 ms/);
    expect(p.output()).toContain('"abandoned":"close connections"');
    expect(p.output()).toContain('FORCED');
  }, 60_000);

  it('ends at once on a second Ctrl-C, long before its deadline', async () => {
    const p = await stuck(600_000);
    p.child.kill('SIGINT');
    await until(() => p.output().includes('shutting down'), 10_000, 'the first signal to be taken');
    p.child.kill('SIGINT'); // a copy of the first (npm and tsx relay it): ignored
    await new Promise((r) => setTimeout(r, 700));
    expect(p.output()).not.toContain('second signal');
    p.child.kill('SIGINT'); // the person pressing Ctrl-C again
    expect(await p.exit).toBe(1);
    expect(p.output()).toContain('second signal: exiting now');
    expect(p.output()).toContain('FORCED');
  }, 60_000);
});

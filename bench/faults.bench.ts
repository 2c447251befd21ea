/**
 * Issue 9's black-box figure, `npm run bench -- faults`: the service as production runs it (compiled,
 * `node dist/main.js`, Telegram webhook mode) on its own redis-server with AOF, answering a fake Bot API
 * (in this process, which reads every message back), while FAULTS_CITIZENS simulated citizens (default
 * 100) make FAULTS_REPORTS reports in all (default 1,000) through the whole conversation
 * (bench/support/conversation.ts). Meanwhile the service is killed with `kill -9` at random moments
 * (FAULTS_KILLS, default 12) and started again at once. As Telegram does, every update is re-posted until
 * it gets a 200; a citizen waits for the answer to each message before the next one.
 * Then every report is read back as an officer would: lost, doubled, applied twice (an answer saved in
 * the wrong field), replies lost (every answer must be in the chat, in order), every citizen holding
 * their codes, the longest wait for an answer, and what the service logged about it.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { CaseStore } from '../src/store/cases.js';
import { DataCipher, generateDataKey } from '../src/store/crypto.js';
import { freePort, startRedisServer } from '../src/store/redis-server.js';
import { startFakeTelegram, type FakeTelegram } from '../tests/helpers/fake-telegram.js';
import { ANSWER, REPORT_ANSWERS, REPORT_PROMPTS, textUpdateBody } from './support/conversation.js';
import { runCommand, waitForHttp, type BenchProcess } from './support/processes.js';
import { percentile } from './support/threads.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The service refuses a webhook secret that is short or not random (src/config/env.ts).
const SECRET = randomBytes(32).toString('hex');
/** A citizen gives up waiting for an answer after this long (it is then counted late, and checked at the end). */
const REPLY_TIMEOUT_MS = 120_000;

interface Sent {
  citizen: number;
  description: string;
  age: string;
  childName: string;
  code?: string;
}

interface Tally {
  waits: number[];
  /** Answers whose reply had not come when the citizen stopped waiting. */
  late: number;
  posts: number;
  refused: number;
}

class Citizens {
  readonly reports: Sent[] = [];
  readonly tally: Tally = { waits: [], late: 0, posts: 0, refused: 0 };
  private nextUpdate = 1;
  private readonly pool: Pool;

  constructor(
    private readonly url: URL,
    private readonly fake: FakeTelegram,
  ) {
    this.pool = new Pool(url.origin, { connections: 128 });
  }

  /** Posts until 200, then waits for the reply that asks `prompt`; returns that reply. */
  async say(chat: number, text: string, prompt: string): Promise<string | undefined> {
    const body = textUpdateBody(this.nextUpdate++, chat, text);
    const seen = this.received(chat).length;
    const t0 = performance.now();
    for (;;) {
      this.tally.posts++;
      try {
        const res = await this.pool.request({ method: 'POST', path: this.url.pathname, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body, headersTimeout: 20_000 });
        await res.body.dump();
        if (res.statusCode === 200) break;
      } catch {
        // the service is down or was killed with the request open
      }
      this.tally.refused++;
      await new Promise((r) => setTimeout(r, 100));
    }
    const deadline = Date.now() + REPLY_TIMEOUT_MS;
    for (;;) {
      const replies = this.received(chat).slice(seen);
      const last = replies.at(-1);
      if (last?.includes(prompt)) {
        this.tally.waits.push(performance.now() - t0);
        return last;
      }
      if (Date.now() > deadline) {
        this.tally.late++;
        return last;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  received(chat: number): string[] {
    return this.fake.messagesTo(chat);
  }

  async citizen(c: number, reports: number): Promise<void> {
    const chat = 5_000_000 + c;
    for (let r = 0; r < reports; r++) {
      const sent: Sent = { citizen: chat, description: `Cháu bé bị đánh nhiều lần, có vết bầm (người ${c}, lần ${r})`, age: String(6 + ((c + r) % 10)), childName: `Mai ${c}-${r}` };
      const answers = [...REPORT_ANSWERS];
      answers[ANSWER.description] = sent.description;
      answers[ANSWER.age] = sent.age;
      answers[ANSWER.childName] = sent.childName;
      for (const [i, answer] of answers.entries()) {
        const reply = await this.say(chat, answer, REPORT_PROMPTS[i] as string);
        if (i === answers.length - 1) sent.code = reply?.match(/TE-[0-9A-Z]{6}/)?.[0];
      }
      this.reports.push(sent);
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

export default async function run(): Promise<Record<string, number | string>> {
  const citizens = Number(process.env.FAULTS_CITIZENS ?? 100);
  const total = Number(process.env.FAULTS_REPORTS ?? 1000);
  const kills = Number(process.env.FAULTS_KILLS ?? 12);
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'treem-bench-faults-'));
  const redisServer = await startRedisServer(join(dir, 'redis'));
  const fake = await startFakeTelegram();
  const port = await freePort();
  const dataKey = generateDataKey();
  const env = {
    TELEGRAM_BOT_TOKEN: '123456:FAULTS',
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    REDIS_URL: redisServer.url,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    DATA_KEY: dataKey,
    DATA_DIR: join(dir, 'data'),
  };
  const logFile = join(dir, 'service.log');
  const logFd = openSync(logFile, 'a');
  const start = async (): Promise<BenchProcess> => {
    const proc = runCommand(process.execPath, ['dist/main.js'], env, ROOT, logFd);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, proc, 60_000);
    return proc;
  };
  let service = await start();
  const crowd = new Citizens(new URL(`http://127.0.0.1:${port}/telegram/webhook`), fake);
  const per = Math.ceil(total / citizens);
  const t0 = Date.now();
  let running = true;
  const load = Promise.all(Array.from({ length: citizens }, (_, c) => crowd.citizen(c, Math.min(per, Math.max(0, total - c * per))))).finally(() => (running = false));

  // kill -9 at random moments, each followed by an immediate restart.
  let killed = 0;
  const restarts: number[] = [];
  const killer = (async () => {
    while (running && killed < kills) {
      // Short enough that FAULTS_KILLS kills land within the run on a quiet machine (a restart takes seconds).
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 2_000));
      if (!running) break;
      service.child.kill('SIGKILL');
      await new Promise((r) => service.child.once('exit', r));
      killed++;
      const r0 = Date.now();
      service = await start();
      restarts.push(Date.now() - r0);
    }
  })();
  await load;
  await killer;
  const seconds = (Date.now() - t0) / 1000;
  await crowd.close();
  // Replies handed to the outbox may still be on their way: give them a minute.
  const drained = Date.now() + 60_000;
  while (Date.now() < drained && !crowd.reports.every((s) => missingPrompts(fake.messagesTo(s.citizen), byCitizenCount(crowd.reports, s.citizen)) === 0)) {
    await new Promise((r) => setTimeout(r, 500));
  }
  await service.stop();
  closeSync(logFd);
  const log = readFileSync(logFile, 'utf8');
  const logged = (msg: string) => log.split('\n').filter((l) => l.includes(msg)).length;

  // Read every report back, as an officer would.
  const redis = new Redis(redisServer.url);
  const cases = new CaseStore(redis, DataCipher.fromString(dataKey));
  const byCitizen = new Map<number, Sent[]>();
  for (const s of crowd.reports) byCitizen.set(s.citizen, [...(byCitizen.get(s.citizen) ?? []), s]);
  let stored = 0;
  let lost = 0;
  let doubled = 0;
  let wrongFields = 0;
  let codesMissing = 0;
  for (const [chat, sent] of byCitizen) {
    const saved = await cases.listByReporter(`telegram:${chat}`, 1000);
    stored += saved.length;
    const details = await Promise.all(saved.map(async (r) => ({ code: r.code, d: await cases.openDetails(r.code) })));
    for (const s of sent) {
      const matches = details.filter((x) => x.d?.description === s.description);
      if (matches.length === 0) lost++;
      if (matches.length > 1) doubled += matches.length - 1;
      const m = matches[0];
      if (m && (m.d?.child.name !== s.childName || m.d?.child.age !== `${s.age} tuổi` || !m.d?.when?.startsWith('Hôm nay'))) wrongFields++;
      if (!s.code || !m || s.code !== m.code) codesMissing++;
    }
  }
  // A reply part sent twice: the same text twice in a row in one chat (prompts never repeat).
  let partsTwice = 0;
  let repliesLost = 0;
  for (const [chat, sent] of byCitizen) {
    const got = fake.messagesTo(chat);
    for (let i = 1; i < got.length; i++) if (got[i] === got[i - 1]) partsTwice++;
    repliesLost += missingPrompts(got, sent.length);
  }
  redis.disconnect();
  await fake.close();
  await redisServer.stop();
  rmSync(dir, { recursive: true, force: true });

  const waits = [...crowd.tally.waits].sort((a, b) => a - b);
  return {
    'citizens / reports': `${citizens} / ${crowd.reports.length}`,
    'kill -9 and restart': `${killed} times (restart to healthy: median ${Math.round(percentile([...restarts].sort((a, b) => a - b), 50))} ms)`,
    'updates posted (incl. re-posts) / not answered 200': `${crowd.tally.posts} / ${crowd.tally.refused}`,
    'run seconds': seconds.toFixed(1),
    'reports stored': stored,
    'reports lost': lost,
    'reports doubled': doubled,
    'reports applied twice / shifted (a field not as typed)': wrongFields,
    'replies lost (an expected answer missing from the chat, in order)': repliesLost,
    'answers later than 120 s (then arrived)': crowd.tally.late,
    'citizens missing a code of theirs': codesMissing,
    'reply parts delivered twice (killed between send and confirm)': partsTwice,
    'wait for an answer p50 / p99 ms': `${Math.round(percentile(waits, 50))} / ${Math.round(percentile(waits, 99))}`,
    'longest wait for an answer (across restarts) ms': Math.round(waits.at(-1) ?? NaN),
    'service log: locks taken over from a dead process': logged("held by a process that is gone"),
    'service log: committed updates re-sent / put off (503) / direct sends handed to the outbox': `${logged('sending the replies not yet confirmed')} / ${logged('put off')} / ${logged('reply not sent directly')}`,
    'service log: error lines, by message': errorsByMessage(log),
  };
}

function byCitizenCount(reports: Sent[], chat: number): number {
  return reports.filter((s) => s.citizen === chat).length;
}

/** How many of the answers `reports` conversations should have given are not in `got`, in order. */
function missingPrompts(got: string[], reports: number): number {
  let at = 0;
  let missing = 0;
  for (let r = 0; r < reports; r++) {
    for (const prompt of REPORT_PROMPTS) {
      const found = got.findIndex((t, i) => i >= at && t.includes(prompt));
      if (found < 0) missing++;
      else at = found + 1;
    }
  }
  return missing;
}

/** "n × message" for the service's error lines, most frequent first. */
function errorsByMessage(log: string): string {
  const counts = new Map<string, number>();
  for (const line of log.split('\n')) {
    if (!line.includes('"level":50')) continue;
    const msg = /"msg":"([^"]*)"/.exec(line)?.[1] ?? '?';
    counts.set(msg, (counts.get(msg) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${n} × ${m}`).join('; ') || 'none';
}

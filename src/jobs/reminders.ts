/**
 * Reminders (docs/domain.md §7): monthly counts to village heads that have not submitted, the list of
 * missing villages to officers after the due day, and officer report deadlines. `dueReminderSteps`
 * says which steps are due; this module finds the recipients, keeps quiet hours and conversations
 * undisturbed, and hands each message to the outbox exactly once.
 *
 * Scheduling: one BullMQ job scheduler (`upsertJobScheduler` is idempotent, so every process may call
 * it at start) fires a tick at the top of each hour. A tick is cheap and repeatable: a
 * step stays due for a day or two, and a person already reminded is skipped. So nothing needs exact
 * timing: a step that falls due at night is sent by the 07:00 tick, and a person who is mid-conversation
 * is tried again by a short delayed re-check tick.
 *
 * Redis keys (besides BullMQ's `bull:reminders:*` and the outbox's):
 * - `claim:<outbox key>`  SET NX before enqueuing, kept 40 days: of two ticks racing (several worker
 *                         processes, a re-check overlapping the hourly tick) only one enqueues.
 *   The outbox key is `remind:<kind>:<communeId>:<period or deadline-year>:<step>:<identity>`, kinds
 *   `counts` (village head), `counts-missing` (officer's list), `deadline` (officers, chair).
 */
import { Queue, Worker } from 'bullmq';
import { queuePrefix } from '../store/connections.js';
import { timezoneOf, type CommuneConfig } from '../config/communes.js';
import type { OutgoingMessage } from '../messaging/message.js';
import { countFieldsFor } from '../domain/counts/fields.js';
import { formatDay } from '../domain/local-time.js';
import {
  dueReminderSteps,
  isQuietTime,
  periodLabel,
  type CountsStep,
  type DeadlineStep,
} from '../domain/reminder-plan.js';
import { foldWords } from '../text/vietnamese.js';
import { CAN_WAIT_MS, notifyIdentity } from '../actions/notify.js';
import { closeQueue } from '../actions/queues.js';
import type { JobDeps, JobModule } from './job-module.js';
import { workerConnection } from './module-worker.js';

/** What reminders need from the counts store: which villages already sent the month's counts. */
export interface SubmittedVillages {
  submittedVillages(communeId: string, period: string): Promise<string[]>;
}

export const REMINDER_QUEUE = 'reminders';
const SCHEDULER_ID = 'reminders-hourly';
/**
 * Top of every hour, counted in the first commune's zone. The pattern names no hour, so the zone only
 * matters for a zone offset by part of an hour; each tick works out every commune's own local time.
 */
const TICK_PATTERN = '0 * * * *';

/** Someone who wrote to us this recently is treated as mid-conversation. */
export const IDLE_AFTER_MS = 5 * 60_000;
/** A conversation (session) touched this recently is still going on; older ones are abandoned drafts. */
export const SESSION_ACTIVE_MS = 60 * 60_000;
/** How soon a deferred person is tried again. */
export const RECHECK_DELAY_MS = 5 * 60_000;
const CLAIM_TTL_SECONDS = 40 * 24 * 3600;
/** Recipients handled at once within a tick (Redis round trips overlap; the outbox paces sending). */
const PARALLEL = 16;
/** An officer's list names at most this many villages, then "và N thôn khác". */
const MAX_LISTED_VILLAGES = 30;

// ---- texts ---------------------------------------------------------------------------------------

/** How people write each default row, with diacritics (the form's labels are too long to type). */
const SPOKEN: Readonly<Record<string, string>> = {
  sinh: 'sinh',
  tuvong: 'tử vong',
  tntt: 'tai nạn',
  duoinuoc: 'đuối nước',
  xamhai: 'xâm hại',
  baoluc: 'bạo lực',
  tinhduc: 'xâm hại tình dục',
  boclot: 'bóc lột',
  muaban: 'mua bán',
  boroi: 'bỏ rơi',
  nguyco: 'nguy cơ bị xâm hại',
  hcdb: 'hoàn cảnh đặc biệt',
  bohoc: 'bỏ học',
  taohon: 'tảo hôn',
};

/**
 * "tháng 10/2025: sinh …, tử vong …, …" over the commune's rows, in everyday words, ready to copy: the
 * numbers are left blank so a copied example never sends figures nobody counted.
 */
export function countsExample(commune: Pick<CommuneConfig, 'counts'>, period: string): string {
  const rows = countFieldsFor(commune).map((f) => `${SPOKEN[f.key] ?? f.aliases[0] ?? f.key} …`);
  return `tháng ${periodLabel(period)}: ${rows.join(', ')}`;
}

export function countsReminderText(commune: Pick<CommuneConfig, 'counts'>, step: CountsStep, village: string): string {
  const p = periodLabel(step.period);
  const due = formatDay(step.dueDay);
  const lead =
    step.offsetDays < 0
      ? `Nhắc gửi số liệu trẻ em tháng ${p} của ${village}: hạn chót là ngày ${due} (còn ${-step.offsetDays} ngày).`
      : step.offsetDays === 0
        ? `Hôm nay (${due}) là hạn chót gửi số liệu trẻ em tháng ${p} của ${village}.`
        : `Số liệu trẻ em tháng ${p} của ${village} đã quá hạn (hạn chót ${due}) mà chưa nhận được.`;
  // Asking for a reply is deliberate: on Zalo the answer reopens the 7-day window for the next reminder.
  return [
    lead,
    'Xin trả lời tin nhắn này bằng số liệu theo mẫu, thay mỗi dấu … bằng số (không có trường hợp nào thì ghi 0):',
    countsExample(commune, step.period),
  ].join('\n');
}

export function missingVillagesText(step: CountsStep, missing: string[], total: number): string {
  const shown = missing.slice(0, MAX_LISTED_VILLAGES).join(', ');
  const more = missing.length > MAX_LISTED_VILLAGES ? ` và ${missing.length - MAX_LISTED_VILLAGES} thôn khác` : '';
  return `Số liệu trẻ em tháng ${periodLabel(step.period)} (hạn chót ${formatDay(step.dueDay)}): còn ${missing.length}/${total} thôn chưa gửi: ${shown}${more}.`;
}

export function deadlineText(step: DeadlineStep, forChair: boolean): string {
  const due = formatDay(step.dueDay);
  if (step.step !== 'overdue') {
    return `Nhắc việc: ${step.label} hạn chót ngày ${due} (còn ${step.daysLeft} ngày). Nếu đã gửi rồi, xin bỏ qua tin này.`;
  }
  const text = `${step.label} (hạn chót ngày ${due}) đã quá hạn. Nếu đã gửi rồi, xin bỏ qua tin này.`;
  return forChair ? `${text} Kính đề nghị lãnh đạo xã đôn đốc.` : text;
}

// ---- who gets what -------------------------------------------------------------------------------

interface Delivery {
  identity: string;
  /** Outbox key without the identity (notifyIdentity appends it). */
  key: string;
  message: OutgoingMessage;
  /** For dead letters: what kind of message, never its text. */
  preview: string;
  communeId: string;
}

async function countsDeliveries(services: JobDeps, commune: CommuneConfig, step: CountsStep, counts: SubmittedVillages): Promise<Delivery[]> {
  // Folded names: a village head's registered village may differ in tone placement or case.
  const submitted = new Set((await counts.submittedVillages(commune.id, step.period)).map(foldWords));
  const missing = commune.villages.map((v) => v.name).filter((name) => !submitted.has(foldWords(name)));
  if (missing.length === 0) return [];
  const byFolded = new Map(missing.map((name) => [foldWords(name), name]));
  const out: Delivery[] = [];
  const base = `${commune.id}:${step.period}:${step.step}`;

  if (step.audiences.includes('pending_village_heads')) {
    for (const head of await services.roles.members(commune.id, 'village_head')) {
      const village = head.village ? byFolded.get(foldWords(head.village)) : undefined;
      if (!village) continue; // submitted already, or a head without a known village
      out.push({
        identity: head.identity,
        key: `remind:counts:${base}`,
        message: { text: countsReminderText(commune, step, village) },
        preview: `counts reminder ${step.period} ${step.step}`,
        communeId: commune.id,
      });
    }
  }
  if (step.audiences.includes('officers_missing_list')) {
    const text = missingVillagesText(step, missing, commune.villages.length);
    for (const officer of await services.roles.members(commune.id, 'officer')) {
      out.push({
        identity: officer.identity,
        key: `remind:counts-missing:${base}`,
        message: { text },
        preview: `counts missing list ${step.period} ${step.step}`,
        communeId: commune.id,
      });
    }
  }
  return out;
}

async function deadlineDeliveries(services: JobDeps, commune: CommuneConfig, step: DeadlineStep): Promise<Delivery[]> {
  const out: Delivery[] = [];
  for (const audience of step.audiences) {
    const role = audience === 'chair' ? 'chair' : 'officer';
    const text = deadlineText(step, audience === 'chair');
    for (const m of await services.roles.members(commune.id, role)) {
      out.push({
        identity: m.identity,
        key: `remind:deadline:${commune.id}:${step.series}:${step.step}`,
        message: { text },
        preview: `deadline reminder ${step.series} ${step.step}`,
        communeId: commune.id,
      });
    }
  }
  return out;
}

// ---- delivering once, at a good moment -----------------------------------------------------------

/** Wrote to us a moment ago, or has a conversation going: a reminder now would cut into it. */
export async function isMidConversation(services: Pick<JobDeps, 'sessions'>, identity: string, at: number): Promise<boolean> {
  const [last, session] = await Promise.all([services.sessions.lastActivity(identity), services.sessions.get(identity)]);
  if (last !== undefined && last > at - IDLE_AFTER_MS) return true;
  return session !== undefined && session.updatedAt > at - SESSION_ACTIVE_MS;
}

const claimKey = (outboxKey: string): string => `claim:${outboxKey}`;

type Outcome = 'queued' | 'deferred' | 'done' | 'failed';

async function deliver(services: JobDeps, d: Delivery, at: number): Promise<Outcome> {
  const claim = claimKey(`${d.key}:${d.identity}`);
  if ((await services.redis.exists(claim)) === 1) return 'done';
  if (await isMidConversation(services, d.identity, at)) return 'deferred';
  if ((await services.redis.set(claim, String(at), 'EX', CLAIM_TTL_SECONDS, 'NX')) !== 'OK') return 'done';
  try {
    await notifyIdentity(services, d.identity, d.message, d.key, d.communeId, { preview: d.preview, canWaitMs: CAN_WAIT_MS.reminder });
    return 'queued';
  } catch (err) {
    // Not queued: give the claim back so the next tick tries again.
    await services.redis.del(claim);
    services.log.error({ preview: d.preview, communeId: d.communeId, err: (err as Error).message }, 'reminders: enqueue failed');
    return 'failed';
  }
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export interface TickSummary {
  queued: number;
  /** People mid-conversation: tried again later. */
  deferred: number;
  /** Already reminded for that step. */
  done: number;
  failed: number;
  /** Communes skipped because it is night there. */
  quiet: number;
}

/**
 * One pass over every commune at instant `at`: enqueues each due reminder for each recipient not yet
 * reminded. Safe to run at any time, repeatedly, and from several processes at once.
 */
export async function runReminderTick(services: JobDeps, at: number, counts: SubmittedVillages = services.counts): Promise<TickSummary> {
  const summary: TickSummary = { queued: 0, deferred: 0, done: 0, failed: 0, quiet: 0 };
  for (const commune of services.config.communes) {
    if (isQuietTime(at, commune.timezone)) {
      summary.quiet += 1;
      continue;
    }
    const deliveries: Delivery[] = [];
    for (const step of dueReminderSteps(commune, at)) {
      deliveries.push(
        ...(step.kind === 'counts' ? await countsDeliveries(services, commune, step, counts) : await deadlineDeliveries(services, commune, step)),
      );
    }
    await inParallel(deliveries, PARALLEL, async (d) => {
      summary[await deliver(services, d, at)] += 1;
    });
  }
  if (summary.queued + summary.deferred + summary.failed > 0) services.log.info(summary, 'reminders: tick');
  return summary;
}

// ---- the job module ------------------------------------------------------------------------------

export const remindersModule: JobModule = {
  name: 'reminders',
  async start(services) {
    const connection = workerConnection(services, REMINDER_QUEUE);
    const prefix = queuePrefix(services.redisTarget);
    const queue = new Queue(REMINDER_QUEUE, { connection, prefix });
    queue.on('error', (err) => services.log.error({ queue: REMINDER_QUEUE, err: err.message }, 'queue error'));
    await queue.upsertJobScheduler(
      SCHEDULER_ID,
      { pattern: TICK_PATTERN, tz: timezoneOf(services.config, services.config.communes[0]?.id) },
      { name: 'tick', opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    const worker = new Worker(
      REMINDER_QUEUE,
      async () => {
        const at = services.now();
        const summary = await runReminderTick(services, at);
        if (summary.deferred > 0 || summary.failed > 0) {
          // One re-check per 5-minute slot however many processes ask: the job id is the slot.
          await queue.add('tick', {}, { delay: RECHECK_DELAY_MS, jobId: `recheck-${Math.floor(at / RECHECK_DELAY_MS)}`, removeOnComplete: true, removeOnFail: true });
        }
        return summary;
      },
      { connection, prefix, concurrency: 1 },
    );
    worker.on('error', (err) => services.log.error({ err: err.message }, 'reminders: worker error'));
    worker.on('failed', (_job, err) => services.log.error({ err: err.message }, 'reminders: tick failed'));
    await worker.waitUntilReady();
    return {
      async close() {
        await worker.close();
        await closeQueue(queue);
        await connection.quit().catch(() => connection.disconnect());
      },
    };
  },
};
